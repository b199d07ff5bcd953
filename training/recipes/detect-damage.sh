#!/usr/bin/env bash
# Damage detector (issue 14), trained from scratch on the CPU: models/architectures/
# damageDetector.ts (photo in, damage probability out; a narrow U-Net at half resolution), on
# the photo mix of lib.sh made old (gray, fade, toning, blur, grain, JPEG) with damage composited
# (training/data/damageSample.ts): real shapes from train/damage, procedural scratches and specks,
# light and dark; a quarter of the patches undamaged. Loss mask-mse (damage pixels weighted 10x).
# Usage: MINUTES=60 THREADS=1 training/recipes/detect-damage.sh  -> $RUNS/detect-damage/detect-damage.onnx
RUNS=${RUNS:-/work/runs/repair}
source "$(dirname "$0")/lib.sh"
data=$RUNS/photo-data
recipe_photo_data "$data"
recipe_train detect-damage --task detect-damage --data "$data" --damage "$DATA/damage" --arch detector \
  --loss mask-mse --lr 1e-3 --warmup 200 \
  --batch 16 --patch 128 --steps 7000 --val-every 250 --checkpoint-every 250 --seed 15
