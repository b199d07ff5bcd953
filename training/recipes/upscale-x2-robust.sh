#!/usr/bin/env bash
# x2 upscaler for real scans (issue 5, the robust variant, a separate model): fine-tunes the
# bicubic x2 model with mild degradations: Gaussian blur sigma 0.3-1.5 px of the HR image on half
# the samples before the bicubic downscale, Gaussian noise sigma 0-10 on the LR, JPEG quality
# 50-95 on half. upscale-x4-robust.sh is the same for x4.
source "$(dirname "$0")/lib.sh"
base=$REPO/models/upscale-x2.onnx
[ -f "$base" ] || { echo "upscale-x2-robust: $base missing" >&2; exit 2; }
recipe_train upscale-x2-robust --task upscale --data "$DATA/color" --channels 3 \
  --base "$base" --models-dir "$REPO/models" \
  --blur 0.3-1.5 --sigma 0-10 --jpeg 50-95 --loss l1 --lr 2e-4 --warmup 200 \
  --batch 16 --patch 48 --steps 3000 --val-every 250 --checkpoint-every 250 --seed 2
