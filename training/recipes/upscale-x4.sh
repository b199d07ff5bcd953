#!/usr/bin/env bash
# x4 upscaler (issue 5): as upscale-x2.sh with scale 4 (288k parameters); LR patch 32 (HR 128).
source "$(dirname "$0")/lib.sh"
recipe_train upscale-x4 --task upscale --scale 4 --data "$DATA/color" --channels 3 \
  --arch subpixel --width 64 --depth 8 --loss l1 --lr 1e-3 --warmup 1000 \
  --batch 16 --patch 32 --steps 100000 --val-every 1000 --checkpoint-every 250 --seed 1
