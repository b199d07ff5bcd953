#!/usr/bin/env bash
# Damage detector, stage 2 (issue 14): continues the shipped stage-1 detector (detect-damage.sh,
# 3.1k steps whose held-out loss was still falling) with a restarted cosine from 3e-4 over 7k steps, on samples
# that hold more of what it missed: thin procedural scratches are 45% of the damage layers (25% in
# stage 1) and half the patches are gray (a third): its recall on gray photos was 0.25. The last
# weights are exported (--take-last: the held-out mask-mse PSNR does not rank detectors); the
# threshold is then calibrated on held-out training photos (eval.sh with CALIB).
# Usage: MINUTES=80 THREADS=2 training/recipes/detect-damage-stage2.sh -> $RUNS/detect-damage/
RUNS=${RUNS:-/work/runs/repair2}
source "$(dirname "$0")/lib.sh"
data=$RUNS/photo-data
recipe_photo_data "$data"
base=$RUNS/detect-damage-stage1
detect_damage_stage1 "$base"
recipe_train detect-damage --task detect-damage --data "$data" --damage "$DATA/damage" \
  --base "$base/detect-damage.onnx" --models-dir "$base" \
  --thin-scratches 0.45 --gray 0.5 --loss mask-mse --lr 3e-4 --warmup 100 --take-last --patience 0 \
  --batch 16 --patch 128 --steps 7000 --val-every 500 --checkpoint-every 250 --seed 16
