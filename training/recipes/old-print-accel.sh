#!/usr/bin/env bash
# Old-print restorer on an accelerator (issue 14: +3 dB over the input on the old-print protocol).
# On the CPU the shipped model (denoise-color's U-Net 32/64/128, 0.70M, fine-tuned for 944 steps of
# 16 x 96², shipped at b7f4a06) saturated: a second CPU stage of 1472 steps gained 0.02-0.06 dB.
# Two jobs share one GPU (training/accelerator/README.md), the old-print pairs made there
# (oldprint_torch.py: oldPrintPair's toning, blur, screens, mid-tone grain, JPEG through Pillow):
#   old-print       the shipped model continued: 32 x 128² crops, a restarted cosine from 2e-4;
#   old-print-deep  a fresh U-Net with a fourth level (32/64/128/256, 2.6M parameters; each level
#                   costs about the same per pixel, so +1/3 of the compute for 4x the weights and a
#                   receptive field of ~140 px), l1 from 1e-3, the same crops. Speed at 12 MP
#                   (`node dist/bench.js --only infer-12mp/<id> --tile T --models-dir <dir>`,
#                   2 threads, untrained weights): 28.7 s at tile 768, 24.8 s at 1024 (0.436 MFLOP
#                   a pixel), against the shipped model's 15.0 s at 768 (0.297): the repair chain
#                   (40 s on 2026-12-04, repair-12mp) stays under its 60 s with it at tile 1024,
#                   so ship it with recommendedTile 1024. (A wider 48/96/192 U-Net: 36.7 s at 512.)
# The photo mix travels as WebP copies with a 320-px long side at quality 85 (accel_photo_data.mjs;
# a restorer learns its targets' artifacts, so not the q65 of the other accel recipes): 37 MB.
# Usage: old-print-accel.sh export                  -> .accel/data/old-print, .accel/old-print-jobs/old-print{,-deep}
#        (device tool; models/ untracked for the call, carry .accel/old-print-jobs and .accel/data/old-print):
#          OUT=$OUT CKPT_DIR=/tmp/ckpt MINUTES=8 bash training/accelerator/device_run.sh .accel/old-print-jobs .accel/data/old-print
#        old-print-accel.sh import <dir with log.jsonl and the .params files>  (with the DEEP_BASE of the export)
#          -> $RUNS/old-print-gpu/<job>/old-print.onnx for each job that came back
#        (PYTHON: a python3 with numpy, default python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:?usage: old-print-accel.sh export | import <dir>}
source training/recipes/lib.sh
data=.accel/data/old-print
accel_photo_copies "$RUNS/repair/photo-data" "$data" "${LONG:-320}" 128 "${QUALITY:-85}"
base=$RUNS/old-print-gpu/stage1
[ -f "$base/old-print.onnx" ] || old_print_stage1 "$base"
shared=(--task denoise --data "$data" --old-print --sigma 25 --loss l1 --patience 0 --batch 32 --patch 128 --seed 17 --threads "${THREADS:-2}")
continued=("${shared[@]}" --base "$base/old-print.onnx" --models-dir "$base" --lr 2e-4 --warmup 200)
# DEEP_BASE=<old-print model of the 4-level U-Net> starts the deep job from it instead of fresh: the
# CPU run old-print-deep-cpu.sh (2000 steps, ~65 CPU-minutes; on 2026-12-04 its weights were left in
# /work/runs/arch-cmp/w32_64_128_256/op2.onnx) already edges out the shipped model (old-print card).
if [ -n "${DEEP_BASE:-}" ]; then
  deep=("${shared[@]}" --base "$DEEP_BASE" --models-dir "$(dirname "$DEEP_BASE")" --lr 5e-4 --warmup 200)
else
  deep=("${shared[@]}" --arch unet --widths 32,64,128,256 --lr 1e-3 --warmup 300)
fi
case $mode in
  export)
    node bin/restore.js train "${continued[@]}" --steps 100000 --out .accel/models/old-print.onnx --export-job .accel/old-print-jobs/old-print
    node bin/restore.js train "${deep[@]}" --steps 100000 --out .accel/models/old-print-deep.onnx --export-job .accel/old-print-jobs/old-print-deep ;;
  import)
    export ACCEL_JOBS=.accel/old-print-jobs
    src=${2:?import needs the folder the device run brought back}
    if ls "$src"/old-print.params* >/dev/null 2>&1; then accel_import old-print "$src" "$RUNS/old-print-gpu/old-print" old-print.onnx "${continued[@]}"; fi
    if ls "$src"/old-print-deep.params* >/dev/null 2>&1; then accel_import old-print-deep "$src" "$RUNS/old-print-gpu/old-print-deep" old-print.onnx "${deep[@]}"; fi ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
