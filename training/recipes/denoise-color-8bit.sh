#!/usr/bin/env bash
# Colour denoiser, stage 2 (issue 17, "right on the files people have"): continues stage 1d (the
# float-trained model) with half of the noisy inputs saved as 8-bit files, clipped to 0-255 and
# rounded (--quantize 0.5), the other half as the float protocol. The noise-level input keeps its
# meaning (the sigma of the Gaussian added before clipping). Colour augmentation and rotation as in
# stage 1d, so McMaster keeps what it gained. A short cosine from 1e-4 (a fine-tune on the CPU).
# No JPEG or Poisson here: mixing them into the same noise-level input cost denoise-color-real
# 0.8 dB on clean Gaussian input; the engine picks denoise-color-real for JPEG files instead.
# Usage: MINUTES=105 THREADS=1 training/recipes/denoise-color-8bit.sh  -> $RUNS/denoise-color/
# Shipped as the default (2026-12-03; the float-trained model stays as <id>-float): run for 110 min,
# then resumed once with EXTRA="--steps 4500" (the cosine stretched from where it was; it moved the
# held-out PSNR by less than 0.01 dB). Ship: copy $RUNS/<id>/<id>.onnx into models/, then
# `restore eval --record` on the sets of eval.sh.
RUNS=${RUNS:-/work/runs/stage2-8bit}
source "$(dirname "$0")/lib.sh"
base=$RUNS/denoise-color-stage1d
denoise_color_stage1d "$base"
recipe_train denoise-color --task denoise --data "$DATA/color" --channels 3 \
  --base "$base/denoise-color.onnx" --models-dir "$base" \
  --sigma 0-75 --quantize 0.5 --color-aug 0.5 --color-rotate 0.3 --loss charbonnier --lr 1e-4 --warmup 100 \
  --batch 16 --patch 96 --steps 3000 --val-every 500 --checkpoint-every 250 --seed 7
