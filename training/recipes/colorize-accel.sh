#!/usr/bin/env bash
# Colourizer stage 3 on an accelerator (issue 13): the colourizer's stage 2 (shipped at 59246cf) continued on one H200 for
# 8.7 minutes (training/accelerator/README.md), two jobs sharing the GPU: the same loss as stages 1-2
# (l1-chroma, k = 4) and a livelier one (--chroma-weight 10), each ~14k steps of 16 x 256² crops with
# colour points per 512-px frame: 7x the pixels of stage 2. The photo mix travels as WebP copies
# scaled to a 512-px long side (accel_photo_data.mjs: 40 MB; the colourizer works at 512 px).
# Usage: colorize-accel.sh export                 -> .accel/data/colorize, .accel/jobs/colorize{,-k10}
#        (device tool; models/ untracked for the call and .accel/jobs/colorize-k10/init-params.bin, the
#        same as colorize's, removed so the tree fits 64 MiB; carry .accel/jobs and .accel/data/colorize):
#          cp .accel/jobs/colorize/init-params.bin .accel/jobs/colorize-k10/ && mkdir -p /tmp/ck && cd training/accelerator &&
#          for j in colorize colorize-k10; do python3 run_job.py --job ../../.accel/jobs/$j
#            --data ../../.accel/data/colorize --out /tmp/ck/$j.ckpt --params-out $OUT/$j.params
#            --minutes 8.7 --log $OUT/log.jsonl --name $j & done; wait
#        colorize-accel.sh import <dir with log.jsonl and *.params> -> $RUNS/colorize-gpu/<job>/colorize.onnx
#        (PYTHON: a python3 with numpy, default python3). Shipped: 0.5 x the imported `colorize` + 0.5 x stage 2
#        (training/recipes/average_weights.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:?usage: colorize-accel.sh export | import <dir>}
source training/recipes/lib.sh
data=.accel/data/colorize
accel_photo_copies "$RUNS/colorize/colorize-data" "$data" 512 256 80
base=$RUNS/colorize-gpu/stage2
colorize_stage2 "$base"
common=(--task colorize --data "$data" --base "$base/colorize.onnx" --models-dir "$base" --hint-frame 512 --loss l1-chroma
  --lr 3e-4 --warmup 200 --patience 0 --batch 16 --patch 256 --seed 13 --threads "${THREADS:-2}")
declare -A extra=([colorize]="" [colorize-k10]="--chroma-weight 10")
for j in colorize colorize-k10; do
  # shellcheck disable=SC2206
  x=(${extra[$j]})
  case $mode in
    export)
      node bin/restore.js train "${common[@]}" "${x[@]}" --steps 100000 --out ".accel/models/$j.onnx" --export-job ".accel/jobs/$j" ;;
    import) accel_import "$j" "${2:?import needs the folder the device run brought back}" "$RUNS/colorize-gpu/$j" colorize.onnx "${common[@]}" "${x[@]}" ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
done
