#!/usr/bin/env bash
# Colour denoiser, stage 2 (issue 4, "robust to what scans and phones carry"): fine-tunes the
# shipped stage-1 model (models/denoise-color.onnx, trained by accelerator.sh) with mixed
# degradations: Gaussian sigma 0-75 on every sample, Poisson shot noise (peak 30 photons at
# white) on half, JPEG quality 30-95 on half, and half of the noisy inputs saved as 8-bit files
# (clipped and rounded, as every real photo is). Lower LR, short cosine (a fine-tune on 2 cores).
# Ship it if its pure-Gaussian `restore eval` stays within ~0.1 dB of stage 1 (see README).
source "$(dirname "$0")/lib.sh"
# The base is denoise-color stage 1 (restored from git by lib.sh), as when this model was trained;
# models/denoise-color.onnx is stage 1b now.
stage1=$RUNS/denoise-color-stage1
denoise_color_stage1 "$stage1"
recipe_train denoise-color-real --task denoise --data "$DATA/color" --channels 3 \
  --base "$stage1/denoise-color.onnx" --models-dir "$stage1" \
  --sigma 0-75 --poisson 30 --jpeg 30-95 --quantize 0.5 --loss charbonnier --lr 2e-4 --warmup 200 \
  --batch 16 --patch 64 --steps 2500 --val-every 250 --checkpoint-every 250 --seed 2
