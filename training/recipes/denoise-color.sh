#!/usr/bin/env bash
# Colour denoiser, stage 1 (issue 4): non-blind (noise-level map input), Gaussian sigma 0-75, on
# train/color (BSDS400 + T91 + SunHays80 + LIVE1). Residual U-Net, 3 levels 32/64/128 (702k
# parameters, receptive field 59): most work at 1/2 and 1/4 resolution. Charbonnier loss, Adam,
# warm-up then cosine to 5%. Resumable: rerun the script (MINUTES=<m> to cap one session).
source "$(dirname "$0")/lib.sh"
recipe_train denoise-color --task denoise --data "$DATA/color" --channels 3 \
  --arch unet --widths 32,64,128 --sigma 0-75 --loss charbonnier --lr 1e-3 --warmup 1000 \
  --batch 16 --patch 64 --steps 100000 --val-every 1000 --checkpoint-every 250 --seed 1
