#!/usr/bin/env bash
# The shipped denoise-color, denoise-gray, upscale-x2 and upscale-x4 models (issues 4 and 5):
# trained by accelerator jobs (training/accelerator/README.md) on one H200, then published here.
# Usage: accelerator.sh export            -> .accel/jobs/<model> (then run step 2 on the GPU machine)
#        accelerator.sh import <ckpt dir> -> models/<model>.onnx + manifest entry + card
# Step 2 (device tool, carry .accel): OUT=$OUT MINUTES=7.6 bash training/accelerator/device_run.sh .accel/jobs .accel/data/color
# 2026-11-26: step 2 ran all four jobs for 7.6 min; a second call resumed denoise-gray for 3.4 min
# (export again with --resume <ckpt> into .accel/jobs2: `accelerator.sh export <ckpt dir>`).
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:?usage: accelerator.sh export [ckpt dir] | import <ckpt dir>}
ckdir=${2:-}
if [ ! -d .accel/data/color ]; then
  mkdir -p .accel/data/color && cp -r ../shared/data/train/color/{BSDS400,T91} .accel/data/color/
  grep -qs '^/.accel/' .git/info/exclude || { mkdir -p .git/info; echo /.accel/ >> .git/info/exclude; }
fi
common=(--data .accel/data/color --seed 1 --warmup 300 --batch 32 --threads "${THREADS:-2}")
dn=(--task denoise --arch unet --widths 32,64,128 --sigma 0-75 --loss charbonnier --lr 1e-3 --patch 128)
declare -A opts=(
  [denoise-color]="${dn[*]}"
  [denoise-gray]="${dn[*]} --channels 1"
  [upscale-x2]="--task upscale --scale 2 --arch subpixel --width 64 --depth 8 --loss l1 --lr 1e-3 --patch 64"
  [upscale-x4]="--task upscale --scale 4 --arch subpixel --width 64 --depth 8 --loss l1 --lr 1e-3 --patch 48"
)
for m in denoise-color denoise-gray upscale-x2 upscale-x4; do
  # shellcheck disable=SC2206
  o=(${opts[$m]})
  case $mode in
    export)
      resume=()
      [ -n "$ckdir" ] && [ -f "$ckdir/$m.ckpt" ] && resume=(--resume "$ckdir/$m.ckpt")
      node bin/restore.js train "${common[@]}" "${o[@]}" --steps 100000 --out ".accel/models/$m.onnx" "${resume[@]}" --export-job ".accel/jobs/$m" ;;
    import)
      [ -f "$ckdir/$m.ckpt" ] || { echo "skip $m: no $ckdir/$m.ckpt"; continue; }
      step=$(node -e "const b=require('fs').readFileSync(process.argv[1]);const n=b.readUInt32LE(9);console.log(JSON.parse(b.subarray(13,13+n)).meta.step)" "$ckdir/$m.ckpt")
      node bin/restore.js train "${common[@]}" "${o[@]}" --steps "$step" --resume "$ckdir/$m.ckpt" --out "models/$m.onnx" ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
done
