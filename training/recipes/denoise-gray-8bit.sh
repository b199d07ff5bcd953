#!/usr/bin/env bash
# Grayscale denoiser, stage 2 (issue 17): continues the float-trained model with half of the noisy
# inputs saved as 8-bit files (clipped and rounded, --quantize 0.5), the other half float; the
# noise-level input keeps its meaning. Same data as stage 1 (all of train/: Train400 and the colour
# sets reduced to luma), a short cosine from 1e-4.
# Usage: MINUTES=105 THREADS=1 training/recipes/denoise-gray-8bit.sh  -> $RUNS/denoise-gray/
# Shipped as the default (2026-12-03; the float-trained model stays as <id>-float): run for 110 min,
# then resumed once with EXTRA="--steps 7000" (the cosine stretched from where it was; it moved the
# held-out PSNR by less than 0.01 dB). Ship: copy $RUNS/<id>/<id>.onnx into models/, then
# `restore eval --record` on the sets of eval.sh.
RUNS=${RUNS:-/work/runs/stage2-8bit}
source "$(dirname "$0")/lib.sh"
base=$RUNS/denoise-gray-stage1
denoise_gray_stage1 "$base"
recipe_train denoise-gray --task denoise --data "$DATA" --channels 1 \
  --base "$base/denoise-gray.onnx" --models-dir "$base" \
  --sigma 0-75 --quantize 0.5 --loss charbonnier --lr 1e-4 --warmup 100 \
  --batch 16 --patch 64 --steps 5000 --val-every 500 --checkpoint-every 250 --seed 2
