#!/usr/bin/env bash
# Colour denoiser, stage 1d (issue 4): continues stage 1c on the CPU with colour rotation added to
# its colour augmentation: besides half of the clean patches permuted and saturated (--color-aug
# 0.5), 30% get a random orthogonal colour transform about their mean colour (augment.ts
# colorRotate). White Gaussian noise is isotropic in RGB, so the task is unchanged while the image
# structure moves from luma into chroma: McMaster carries about 1.5x as much chroma as luma detail
# (mean absolute gradient), train/color 0.3-0.8x (color_stats.py), and saturation gains of 1-2x
# alone cannot close that.
# All of train/color, sigma 0-75, a cosine from 2e-4. Same model id: its output replaces
# models/denoise-color.onnx once `restore eval` shows it better on the DESIGN.md protocols.
# Usage: MINUTES=125 THREADS=2 training/recipes/denoise-color-rotate.sh  -> $RUNS/denoise-color/
RUNS=${RUNS:-/work/runs/stage1d}
source "$(dirname "$0")/lib.sh"
# The base is stage 1c restored from git: models/denoise-color.onnx is this recipe's own output.
base=$RUNS/denoise-color-stage1c
denoise_color_stage1c "$base"
recipe_train denoise-color --task denoise --data "$DATA/color" --channels 3 \
  --base "$base/denoise-color.onnx" --models-dir "$base" \
  --sigma 0-75 --color-aug 0.5 --color-rotate 0.3 --loss charbonnier --lr 2e-4 --warmup 200 \
  --batch 16 --patch 96 --steps 7000 --val-every 500 --checkpoint-every 250 --seed 6
