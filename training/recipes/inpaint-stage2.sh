#!/usr/bin/env bash
# Inpainter, stage 2 (issue 14): continues the shipped stage-1 inpainter (inpaint.sh: 2400 steps of
# 8 x 160², its held-out PSNR still rising, the two cores shared with other runs) with a restarted
# cosine from 2.5e-4 on 224-pixel patches, 4 a step (about the pixels of stage 1's step, wider
# context for the large holes of the 10-30% masks). Same photo mix, hole shapes (incl. the real
# film damage of train/damage), loss and seed as stage 1.
# Usage: MINUTES=95 THREADS=2 NICE=0 training/recipes/inpaint-stage2.sh -> $RUNS/inpaint-stage2/
RUNS=${RUNS:-/work/runs/repair}
source "$(dirname "$0")/lib.sh"
data=$RUNS/photo-data
recipe_photo_data "$data"
base=$RUNS/inpaint-stage1
inpaint_stage1 "$base"
recipe_train inpaint-stage2 --task inpaint --data "$data" --damage "$DATA/damage" \
  --base "$base/inpaint.onnx" --models-dir "$base" \
  --loss l1 --lr 2.5e-4 --warmup 100 --patience 0 \
  --batch 4 --patch 224 --steps 7000 --val-every 500 --checkpoint-every 250 --seed 14
