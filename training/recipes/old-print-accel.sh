#!/usr/bin/env bash
# Old-print restorer on an accelerator (issue 14: +3 dB over the input on the old-print protocol).
# On the CPU both U-Nets saturated: the first shipped model (denoise-color's 32/64/128, 0.70M,
# fine-tuned 944 steps, b7f4a06) gained 0.02-0.06 dB in a second CPU stage of 1472 steps; the
# shipped one (32/64/128/256, 2.92M, receptive field 131 px; old-print-deep-cpu.sh, 2000 steps from
# scratch, then old-print-deep-stage2.sh, 2400 more, then old-print-deep-stage3.sh on 128-px
# patches, +0.12 dB on held-out crops) rises about 0.1 dB per CPU-hour now. Two jobs share one GPU
# (training/accelerator/README.md), the old-print pairs made there (oldprint_torch.py:
# oldPrintPair's toning, blur, screens, mid-tone grain, JPEG through Pillow):
#   old-print       the shipped model continued: 32 x 128² crops, a restarted cosine from 3e-4;
#   old-print-deep  the same U-Net fresh from 1e-3 on the same crops (does a long GPU run from
#                   scratch beat the CPU start?).
# Speed at 12 MP (`npm run bench -- --only infer-12mp/old-print --only repair-12mp`, 2 threads):
# the grain step 24.5 s at tile 1024, the repair chain 44-51 s of its 60 (old-print card): a
# wider or deeper model does not fit the chain's budget on 2 threads.
# The photo mix travels as WebP copies with a 304-px long side at quality 85 (accel_photo_data.mjs;
# a restorer learns its targets' artifacts, so not the q65 of the other accel recipes): 35 MB.
# Usage: old-print-accel.sh export                  -> .accel/data/old-print, .accel/old-print-jobs/old-print{,-deep}
#        (device tool; models/ and renderer/docs/ untracked for the call: jobs 24 MB + photos 35 MB +
#        the other tracked files 3 MB of the 64 MiB; carry .accel/old-print-jobs and .accel/data/old-print):
#          OUT=$OUT CKPT_DIR=/tmp/ckpt MINUTES=8 bash training/accelerator/device_run.sh .accel/old-print-jobs .accel/data/old-print
#        old-print-accel.sh import <dir with log.jsonl and the .params files>  (with the models/ of the export)
#          -> $RUNS/old-print-gpu/<job>/old-print.onnx for each job that came back
#        (PYTHON: a python3 with numpy, default python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:?usage: old-print-accel.sh export | import <dir>}
source training/recipes/lib.sh
data=.accel/data/old-print
accel_photo_copies "$RUNS/repair/photo-data" "$data" "${LONG:-304}" 128 "${QUALITY:-85}"
shared=(--task denoise --data "$data" --old-print --sigma 25 --loss l1 --patience 0 --batch 32 --patch 128 --seed 17 --threads "${THREADS:-2}")
continued=("${shared[@]}" --base old-print --lr 3e-4 --warmup 200)
deep=("${shared[@]}" --arch unet --widths 32,64,128,256 --lr 1e-3 --warmup 300)
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
