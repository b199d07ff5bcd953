#!/usr/bin/env bash
# Guided colorizer, stage 3 (issue 13): continues the shipped stage-2 colorizer (colorize-stage2.sh,
# held-out PSNR best at its step 7500 of 8000, still rising) with a restarted cosine from a lower
# 1e-4, on the same 256-pixel patches, 4 a step, colour points drawn per 512-pixel frame; same data,
# split (seed 13), loss and old-print looks as stages 1 and 2.
# Usage: MINUTES=55 THREADS=2 NICE=0 training/recipes/colorize-stage3.sh -> $RUNS/colorize-stage3/
RUNS=${RUNS:-/work/runs/colorize}
source "$(dirname "$0")/lib.sh"
data=$RUNS/colorize-data
recipe_photo_data "$data"
base=$RUNS/colorize-stage2-shipped
[ -f "$base/colorize.onnx" ] || colorize_stage2 "$base"
recipe_train colorize-stage3 --task colorize --data "$data" \
  --base "$base/colorize.onnx" --models-dir "$base" --hint-frame 512 \
  --loss l1-chroma --lr 1e-4 --warmup 50 --patience 0 \
  --batch 4 --patch 256 --steps 900 --val-every 150 --checkpoint-every 100 --seed 13
