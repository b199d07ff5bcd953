#!/usr/bin/env bash
# Colour denoiser, stage 1c (issue 4): continues stage 1b on the CPU with colour augmentation: half
# of the clean patches get a random channel permutation and a saturation gain of 1-2x (augment.ts
# colorAugment) before the Gaussian noise (sigma 0-75), so that the model meets saturated,
# decorrelated colour (McMaster's large saturated areas) in training and not only at test time.
# All of train/color, a cosine from 2e-4. Same model id: its output replaces models/denoise-color.onnx
# once `restore eval` shows it better on the DESIGN.md protocols.
# The shipped run was planned as 4500 steps, interrupted at step 2503 and resumed as 6000 (its
# schedule stretched from there): the two calls below replay exactly that (--stop-at; the batches are
# a pure function of seed and step, the learning rate of step and total).
# Usage: MINUTES=120 THREADS=2 training/recipes/denoise-color-coloraug.sh  -> $RUNS/denoise-color/
RUNS=${RUNS:-/work/runs/stage1c}
source "$(dirname "$0")/lib.sh"
# The base is stage 1b restored from git: models/denoise-color.onnx is this recipe's own output.
base=$RUNS/denoise-color-stage1b
denoise_color_stage1b "$base"
stage1c() {
  recipe_train denoise-color --task denoise --data "$DATA/color" --channels 3 \
    --base "$base/denoise-color.onnx" --models-dir "$base" \
    --sigma 0-75 --color-aug 0.5 --loss charbonnier --lr 2e-4 --warmup 200 \
    --batch 16 --patch 96 --val-every 500 --checkpoint-every 250 --seed 5 "$@"
}
stage1c --steps 4500 --stop-at 2503
# The second call only once the first reached its stop (a MINUTES budget may end it earlier).
if [ "$(recipe_step denoise-color)" -ge 2503 ]; then stage1c --steps 6000; fi
