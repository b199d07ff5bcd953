#!/usr/bin/env bash
# Old-print restorer (issue 14: the repair chain's "reduce grain" step), fine-tuned from the
# shipped colour denoiser on old-print restoration pairs (training/data/oldPrint.ts oldPrintPair):
# the photo mix of lib.sh, half made gray and some of those sepia- or cool-toned (the model keeps
# the tone), degraded as scans of old prints are: blur, printing screens, film grain of 0.6-2 px
# stronger in the mid-tones, JPEG, 8-bit. A blind model: it always gets noise level 25 (--sigma 25).
# Usage: MINUTES=55 THREADS=1 NICE=8 training/recipes/old-print.sh  -> $RUNS/old-print/old-print.onnx
RUNS=${RUNS:-/work/runs/repair}
source "$(dirname "$0")/lib.sh"
data=$RUNS/photo-data
recipe_photo_data "$data"
recipe_train old-print --task denoise --data "$data" --old-print --sigma 25 \
  --base "$REPO/models/denoise-color.onnx" --models-dir "$REPO/models" \
  --loss l1 --lr 2e-4 --warmup 100 \
  --batch 16 --patch 96 --steps 1500 --val-every 150 --checkpoint-every 150 --seed 16
