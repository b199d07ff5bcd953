#!/usr/bin/env bash
# Colour denoiser, stage 2 (issue 4, "robust to what scans and phones carry"): fine-tunes the
# stage-1 model (denoise-color.sh) with mixed degradations: Gaussian sigma 0-75 on every sample,
# Poisson shot noise (peak 30 photons at white) on half, JPEG quality 30-95 on half. Lower LR.
# Ship this one if its pure-Gaussian `restore eval` stays within 0.1 dB of stage 1 (see README).
source "$(dirname "$0")/lib.sh"
base=$RUNS/denoise-color/denoise-color.onnx
[ -f "$base" ] || { echo "denoise-color-real: run denoise-color.sh first ($base missing)" >&2; exit 2; }
recipe_train denoise-color-real --task denoise --data "$DATA/color" --channels 3 \
  --base "$base" --models-dir "$RUNS/denoise-color" \
  --sigma 0-75 --poisson 30 --jpeg 30-95 --loss charbonnier --lr 2e-4 --warmup 200 \
  --batch 16 --patch 64 --steps 20000 --val-every 1000 --checkpoint-every 250 --seed 2
