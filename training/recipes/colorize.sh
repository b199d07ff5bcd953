#!/usr/bin/env bash
# Guided colorizer (issue 13), trained from scratch on the CPU: models/architectures/colorizer.ts
# (L + hint ab + hint mask in, ab out; a U-Net at half resolution with dilated context convs),
# on ImageNet1k scenes, AllAgeFaces portraits and all of train/color (data gathered by hard links
# into $RUNS/colorize-data), 35% of samples automatic (no colour points), the rest with 1-160
# points sampled from the ground truth; 35% of the L inputs made to look like old prints (fade,
# blur, grain). Loss l1-chroma (L1 weighted up on saturated pixels, against the brown average).
# Usage: MINUTES=125 THREADS=2 training/recipes/colorize.sh  -> $RUNS/colorize/colorize.onnx
RUNS=${RUNS:-/work/runs/colorize}
source "$(dirname "$0")/lib.sh"
data=$RUNS/colorize-data
recipe_photo_data "$data"
recipe_train colorize --task colorize --data "$data" --arch colorizer \
  --loss l1-chroma --lr 5e-4 --warmup 150 \
  --batch 16 --patch 128 --steps 7000 --val-every 250 --checkpoint-every 250 --seed 13
