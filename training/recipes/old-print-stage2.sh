#!/usr/bin/env bash
# Old-print restorer, stage 2 (issue 14): continues the shipped stage-1 old-print model (old-print.sh:
# 944 of its 1500 steps, held-out PSNR 27.42 -> 29.07 and still rising when its budget ended) with
# a restarted cosine from 1.5e-4 over 1600 steps (what 90 minutes of a slow day hold: 3.2 s a step at 2 threads); same photos, old-print degradations (blur,
# screens, correlated grain, JPEG, toning), patch, batch, loss and seed as stage 1. The best
# held-out weights are exported.
# Usage: MINUTES=90 THREADS=2 NICE=0 training/recipes/old-print-stage2.sh -> $RUNS/old-print-stage2/
RUNS=${RUNS:-/work/runs/repair}
source "$(dirname "$0")/lib.sh"
data=$RUNS/photo-data
recipe_photo_data "$data"
base=$RUNS/old-print-stage1
old_print_stage1 "$base"
recipe_train old-print-stage2 --task denoise --data "$data" --old-print --sigma 25 \
  --base "$base/old-print.onnx" --models-dir "$base" \
  --loss l1 --lr 1.5e-4 --warmup 100 \
  --batch 16 --patch 96 --steps 1600 --val-every 150 --checkpoint-every 150 --seed 16
