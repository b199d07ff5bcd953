#!/usr/bin/env bash
# Old-print restorer with a fourth U-Net level, from scratch on the CPU (issue 14): stage 1 of
# the old-print shipped on 2026-12-04 (the old-print card). U-Net 32/64/128/256 (2.92 M parameters,
# receptive field 131 px) on the same photos, split, seed and old-print pairs as old-print.sh,
# l1 from 1e-3 over a 2000-step cosine, 16 x 96². On 2026-12-04 it ran in two segments (45 min
# at 1 thread beside a 3-level twin, stopped at step 1204; resumed from its step-1200 checkpoint
# at 2 threads to step 2000 in 19 min): held-out 29.34 dB; old-print protocol CBSD68 26.20,
# McMaster 28.56 (the 3-level old-print before it 26.14 / 28.52); a photo with no grain loses 0.2
# dB through it (the 3-level model 1.3). old-print-deep-stage2.sh continues it.
# Usage: MINUTES=70 THREADS=2 NICE=0 training/recipes/old-print-deep-cpu.sh -> $RUNS/old-print-deep-cpu/
RUNS=${RUNS:-/work/runs/repair}
source "$(dirname "$0")/lib.sh"
data=$RUNS/photo-data
recipe_photo_data "$data"
recipe_train old-print-deep-cpu --task denoise --data "$data" --old-print --sigma 25 \
  --arch unet --widths 32,64,128,256 --loss l1 --lr 1e-3 --warmup 100 \
  --batch 16 --patch 96 --steps 2000 --val-every 100 --checkpoint-every 100 --seed 16
