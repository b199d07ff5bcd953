#!/usr/bin/env bash
# Old-print restorer (4-level U-Net), stage 2 on the CPU (issue 14; shipped as old-print from
# 2026-12-04 until stage 3, old-print-deep-stage3.sh, replaced it on 2026-12-05): continues stage 1
# (old-print-deep-cpu.sh, pinned as lib.sh old_print_deep: 2000 steps from scratch, held-out
# 29.34 dB and still rising slowly at the end of its cosine) with a restarted cosine from 3e-4
# over 2400 steps; same photos, split (seed 16), old-print pairs, patch, batch and loss. The best
# held-out weights are exported (on 2026-12-04: all 2400 steps in 48 min, held-out 29.57 at the
# last step).
# Usage: MINUTES=65 THREADS=2 NICE=0 training/recipes/old-print-deep-stage2.sh -> $RUNS/old-print-deep-stage2/
RUNS=${RUNS:-/work/runs/repair}
source "$(dirname "$0")/lib.sh"
data=$RUNS/photo-data
recipe_photo_data "$data"
base=$RUNS/old-print-deep
old_print_deep "$base"
recipe_train old-print-deep-stage2 --task denoise --data "$data" --old-print --sigma 25 \
  --base "$base/old-print.onnx" --models-dir "$base" \
  --loss l1 --lr 3e-4 --warmup 100 \
  --batch 16 --patch 96 --steps 2400 --val-every 200 --checkpoint-every 200 --seed 16
