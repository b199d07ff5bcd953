#!/usr/bin/env bash
# Colour denoiser, stage 1b (issue 4): continues the GPU-trained stage 1 (accelerator.sh: 6563
# steps of 32 x 128² on BSDS400 + T91 only) on the CPU with all of train/color (adds SunHays80's
# and LIVE1's larger, more saturated photographs), pure Gaussian sigma 0-75 as in stage 1, a short
# cosine from 2e-4. Same model id: its output replaces models/denoise-color.onnx once `restore eval`
# shows it better on the DESIGN.md protocols (the --base gate only compares held-out PSNR).
# Usage: MINUTES=120 THREADS=2 training/recipes/denoise-color-cpu-ft.sh  -> $RUNS/denoise-color/
RUNS=${RUNS:-/work/runs/stage1b}
source "$(dirname "$0")/lib.sh"
# The base is stage 1 (restored from git by lib.sh), not models/denoise-color.onnx: that is this
# recipe's own output now. The 2026-11-26 run took it from models/ while stage 1 was still there.
stage1=$RUNS/denoise-color-stage1
denoise_color_stage1 "$stage1"
recipe_train denoise-color --task denoise --data "$DATA/color" --channels 3 \
  --base "$stage1/denoise-color.onnx" --models-dir "$stage1" \
  --sigma 0-75 --loss charbonnier --lr 2e-4 --warmup 200 \
  --batch 16 --patch 96 --steps 5000 --val-every 500 --checkpoint-every 250 --seed 4
