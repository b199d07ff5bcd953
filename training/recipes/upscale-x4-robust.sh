#!/usr/bin/env bash
# x4 upscaler for real scans (issue 5, the robust variant, a separate model): fine-tunes the
# shipped bicubic x4 model with mild blur, noise and JPEG (recipe_upscale_robust in lib.sh).
# LR patch 32 (HR 128).
source "$(dirname "$0")/lib.sh"
recipe_upscale_robust 4 32
