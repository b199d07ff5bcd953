#!/usr/bin/env bash
# x2 upscaler for real scans (issue 5, the robust variant, a separate model): fine-tunes the
# shipped bicubic x2 model with mild blur, noise and JPEG (recipe_upscale_robust in lib.sh).
# LR patch 48 (HR 96).
source "$(dirname "$0")/lib.sh"
recipe_upscale_robust 2 48
