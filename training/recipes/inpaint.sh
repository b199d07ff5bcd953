#!/usr/bin/env bash
# Inpainter (issue 14), trained from scratch on the CPU: models/architectures/inpainter.ts (image
# with holes + mask in, filled image out; a U-Net at half resolution with dilated context convs,
# composited in the graph so the loss is spent on the holes), on the photo mix of lib.sh
# (ImageNet1k scenes, AllAgeFaces portraits, train/color), holes given the engine's push-pull coarse
# fill that the network corrects, a third of the patches gray and a fifth
# made to look like old prints. Holes (training/data/masks.ts): thin, medium and thick free-form
# strokes, boxes, scratches and real film-damage shapes from train/damage, a quarter of them two
# kinds at once.
# Usage: MINUTES=62 THREADS=2 NICE=0 training/recipes/inpaint.sh  -> $RUNS/inpaint/inpaint.onnx
RUNS=${RUNS:-/work/runs/repair}
source "$(dirname "$0")/lib.sh"
data=$RUNS/photo-data
recipe_photo_data "$data"
recipe_train inpaint --task inpaint --data "$data" --damage "$DATA/damage" --arch inpainter \
  --loss l1 --lr 5e-4 --warmup 150 \
  --batch 8 --patch 160 --steps 2400 --val-every 200 --checkpoint-every 200 --seed 14
