#!/usr/bin/env bash
# Guided colorizer, stage 2 (issue 13): continues the shipped stage-1 colorizer (colorize.sh, 6.5k
# steps of 128-pixel patches, held-out PSNR still rising) with a restarted cosine from 2e-4, on
# 256-pixel patches (4 a batch: the same pixels a step) whose colour points are drawn per 512-pixel
# frame (the working size) and scaled to the patch (--hint-frame 512): stage 1 saw 1-160 points on
# every 128-pixel patch, up to 10x denser than 10 points on a whole photo, so it learned to carry a
# point's colour only a short way. Same data, split (seed 13), loss and old-print looks as stage 1.
# Usage: MINUTES=100 THREADS=2 training/recipes/colorize-stage2.sh -> $RUNS/colorize-stage2/
RUNS=${RUNS:-/work/runs/colorize}
source "$(dirname "$0")/lib.sh"
data=$RUNS/colorize-data
recipe_photo_data "$data"
base=$RUNS/colorize-stage1
colorize_stage1 "$base"
recipe_train colorize-stage2 --task colorize --data "$data" \
  --base "$base/colorize.onnx" --models-dir "$base" --hint-frame 512 \
  --loss l1-chroma --lr 2e-4 --warmup 100 --patience 0 \
  --batch 4 --patch 256 --steps 8000 --val-every 500 --checkpoint-every 250 --seed 13
