#!/usr/bin/env bash
# Inpainter, stage 4 (issue 14): the GPU-trained stage 3 (inpaint-accel.sh: 27k steps on 448-px
# copies of the photo mix) continued on the CPU on the full-size photos (the scale of the eval sets
# and of scans) at a low, restarted cosine from 5e-5: does a short full-resolution stage help after
# training on downscaled copies? Same holes, loss and seed as stages 1-3.
# Usage: MINUTES=55 THREADS=2 NICE=5 training/recipes/inpaint-stage4.sh -> $RUNS/inpaint-stage4/
RUNS=${RUNS:-/work/runs/repair}
source "$(dirname "$0")/lib.sh"
data=$RUNS/photo-data
recipe_photo_data "$data"
base=$RUNS/inpaint-stage3
model_from_git inpaint 12877dd 3974612975ed73f0e3280eb30ef8d320347d698af940b59373e4fd61336a65c9 "$base"
recipe_train inpaint-stage4 --task inpaint --data "$data" --damage "$DATA/damage" \
  --base "$base/inpaint.onnx" --models-dir "$base" \
  --loss l1 --lr 5e-5 --warmup 50 --patience 0 \
  --batch 4 --patch 224 --steps 1400 --val-every 350 --checkpoint-every 175 --seed 15
