#!/usr/bin/env bash
# Inpainter stage 3 on an accelerator (issue 14): the inpainter's stage 2 (4.7M parameters, 4331 CPU
# steps of 8 x 160² and 4 x 224², shipped at df716b2) continued on one H200 (training/accelerator/README.md), one job
# alone on the GPU: 16 x 224² crops, a restarted cosine from 3e-4, the same loss (l1), photo mix
# and hole laws; the holes travel as a bank drawn here by masks.ts (holeBank.ts: 8192 holes incl.
# the real film damage of train/damage, x 8 orientations there). The photo mix travels as WebP
# copies with a 448-px long side at quality 65 (accel_photo_data.mjs: 26 MiB) so that the job fits the 64 MiB that
# travels.
# Usage: inpaint-accel.sh export                  -> .accel/data/inpaint, .accel/jobs/inpaint
#        (device tool; models/ untracked for the call, carry .accel/jobs/inpaint and .accel/data/inpaint):
#          cd training/accelerator && python3 run_job.py --job ../../.accel/jobs/inpaint --data ../../.accel/data/inpaint
#            --out /tmp/inpaint.ckpt --params-out $OUT/inpaint.params --minutes $MINUTES --log $OUT/log.jsonl --name inpaint
#        inpaint-accel.sh import <dir with log.jsonl and inpaint.params.1, .2 (the weights in parts: 18.8 MB)> -> $RUNS/inpaint-gpu/inpaint/inpaint.onnx
#        (PYTHON: a python3 with numpy, default python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:?usage: inpaint-accel.sh export | import <dir>}
source training/recipes/lib.sh
data=.accel/data/inpaint
accel_photo_copies "$RUNS/repair/photo-data" "$data" "${LONG:-448}" 224 "${QUALITY:-65}"
base=$RUNS/inpaint-gpu/stage2
inpaint_stage2 "$base"
common=(--task inpaint --data "$data" --damage "$DATA/damage" --base "$base/inpaint.onnx" --models-dir "$base" --loss l1
  --lr 3e-4 --warmup 200 --patience 0 --batch 16 --patch 224 --seed 14 --threads "${THREADS:-2}")
j=inpaint
case $mode in
  export)
    node bin/restore.js train "${common[@]}" --steps 100000 --out ".accel/models/$j.onnx" --export-job ".accel/jobs/$j" ;;
  import) accel_import "$j" "${2:?import needs the folder the device run brought back}" "$RUNS/inpaint-gpu/$j" inpaint.onnx "${common[@]}" ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
