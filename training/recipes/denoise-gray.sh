#!/usr/bin/env bash
# Grayscale denoiser (issue 4): as denoise-color.sh on one channel. Data: all of train/ (Train400
# plus the colour sets reduced to luma: 999 images instead of 400). Same U-Net 32/64/128 (700k).
source "$(dirname "$0")/lib.sh"
recipe_train denoise-gray --task denoise --data "$DATA" --channels 1 \
  --arch unet --widths 32,64,128 --sigma 0-75 --loss charbonnier --lr 1e-3 --warmup 1000 \
  --batch 16 --patch 64 --steps 100000 --val-every 1000 --checkpoint-every 250 --seed 1
