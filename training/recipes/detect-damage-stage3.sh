#!/usr/bin/env bash
# Damage detector, stage 3 (issue 14): continues the shipped stage-2 detector with thin real content
# drawn into 40% of the patches before they are made old (--thin-content 0.4: wires, bare branches,
# window frames and railings, lines of small text; target 0), as stage 2 still marked poles, stalks
# and window edges and, to keep those unmarked, was shipped at a threshold that lost half the thin
# scratches. Same photos, damage shapes, thin-scratch share, gray share, loss and seed as stage 2;
# a restarted cosine from 2e-4.
# Usage: MINUTES=95 THREADS=2 NICE=0 training/recipes/detect-damage-stage3.sh -> $RUNS/detect-damage-stage3/
RUNS=${RUNS:-/work/runs/repair}
source "$(dirname "$0")/lib.sh"
data=$RUNS/photo-data
recipe_photo_data "$data"
base=$RUNS/detect-damage-stage2
detect_damage_stage2 "$base"
recipe_train detect-damage-stage3 --task detect-damage --data "$data" --damage "$DATA/damage" \
  --base "$base/detect-damage.onnx" --models-dir "$base" \
  --thin-content 0.4 --thin-scratches 0.45 --gray 0.5 --loss mask-mse --lr 2e-4 --warmup 100 --take-last --patience 0 \
  --batch 16 --patch 128 --steps 4000 --val-every 500 --checkpoint-every 250 --seed 16
