#!/usr/bin/env bash
# x2 upscaler (issue 5): sub-pixel network working at low resolution (8 conv layers of 64, then
# DepthToSpace, plus the bilinear-upsampled input; 267k parameters), RGB in and out so colours
# stay right. Bicubic degradation exactly as the published protocol (MATLAB imresize, 8-bit LR).
# L1 loss, LR patch 48 (HR 96), batch 16.
source "$(dirname "$0")/lib.sh"
recipe_train upscale-x2 --task upscale --scale 2 --data "$DATA/color" --channels 3 \
  --arch subpixel --width 64 --depth 8 --loss l1 --lr 1e-3 --warmup 1000 \
  --batch 16 --patch 48 --steps 100000 --val-every 1000 --checkpoint-every 250 --seed 1
