#!/usr/bin/env bash
# Guided colorizer, stage 3 (issue 13): continues the shipped stage 2 (colorize-stage2.sh, whose
# held-out score was still rising slowly at its last step) with the same data, split, loss, old-print
# looks, 256-pixel patches and colour points per 512-pixel frame, for another 1500 steps of a short
# restarted cosine from a lower rate (1e-4), to settle what stage 2 started. Tried 2026-12-03 and
# not shipped: its held-out crops stayed below stage 2's 22.98 (22.69 / 22.78 / 22.65 at steps
# 250 / 500 / 750; stopped at 898, about 3 s a step on that machine).
# Usage: MINUTES=100 THREADS=2 training/recipes/colorize-stage3.sh -> $RUNS/colorize-stage3b/
RUNS=${RUNS:-/work/runs/colorize}
source "$(dirname "$0")/lib.sh"
data=$RUNS/colorize-data
recipe_photo_data "$data"
base=$RUNS/colorize-stage2-shipped
colorize_stage2 "$base"
recipe_train colorize-stage3b --task colorize --data "$data" \
  --base "$base/colorize.onnx" --models-dir "$base" --hint-frame 512 \
  --loss l1-chroma --lr 1e-4 --warmup 50 --patience 0 \
  --batch 4 --patch 256 --steps 1500 --val-every 250 --checkpoint-every 250 --seed 13
