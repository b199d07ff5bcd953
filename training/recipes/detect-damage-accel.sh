#!/usr/bin/env bash
# Damage detector stage 5 on an accelerator (issue 14): the detector's stage 4 (shipped at 8a52fc4) continued on
# one H200 (training/accelerator/README.md), alone on the GPU: 16 x 192² crops, a restarted cosine
# from 3e-4, stage 4's loss and mix (mask-mse, 60% thin procedural scratches, half gray); the damage
# travels as a bank of 2048 overlays drawn here by damageSample.ts's layers (damageBank.ts, x 8
# orientations there). Photos: the 448-px WebP copies of inpaint-accel.sh minus the calibration
# photos (the stage-2 run's 292 held-out photos, training/recipes/held_out.ts), so the threshold is
# still calibrated on photos the detector never saw.
# Usage: detect-damage-accel.sh export            -> .accel/data/detect, .accel/jobs/detect-damage
#        (device tool; models/ untracked for the call, carry .accel/jobs/detect-damage and .accel/data/detect):
#          cd training/accelerator && python3 run_job.py --job ../../.accel/jobs/detect-damage --data ../../.accel/data/detect
#            --out /tmp/detect.ckpt --params-out $OUT/detect-damage.params --minutes $MINUTES --log $OUT/log.jsonl --name detect-damage
#        detect-damage-accel.sh import <dir with log.jsonl and detect-damage.params> -> $RUNS/detect-gpu/detect-damage/detect-damage.onnx
#        (PYTHON: a python3 with numpy, default python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:?usage: detect-damage-accel.sh export | import <dir>}
source training/recipes/lib.sh
data=.accel/data/detect
if [ ! -d "$data" ]; then
  [ -d .accel/data/inpaint ] || training/recipes/inpaint-accel.sh export
  npx esbuild training/recipes/held_out.ts --bundle --platform=node --format=esm --packages=external --outfile=node_modules/.cache/held_out.mjs --log-level=error
  node node_modules/.cache/held_out.mjs "$RUNS/repair/photo-data" 16 "$RUNS/detect-gpu/calibration"
  mkdir -p "$data.tmp" && cp -al .accel/data/inpaint/. "$data.tmp/"
  for f in "$RUNS/detect-gpu/calibration"/*; do b=$(basename "$f"); rel=${b//__//}; rm -f "$data.tmp/${rel%.*}.webp"; done
  mv "$data.tmp" "$data"
fi
base=$RUNS/detect-gpu/stage4
detect_damage_stage4 "$base"
common=(--task detect-damage --data "$data" --damage "$DATA/damage" --base "$base/detect-damage.onnx" --models-dir "$base"
  --thin-scratches 0.6 --gray 0.5 --loss mask-mse --lr 3e-4 --warmup 200 --take-last --patience 0 --batch 16 --patch 192 --seed 16 --threads "${THREADS:-2}")
j=detect-damage
case $mode in
  export)
    node bin/restore.js train "${common[@]}" --steps 100000 --out ".accel/models/$j.onnx" --export-job ".accel/jobs/$j" ;;
  import) accel_import "$j" "${2:?import needs the folder the device run brought back}" "$RUNS/detect-gpu/$j" detect-damage.onnx "${common[@]}" ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
