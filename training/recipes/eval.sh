#!/usr/bin/env bash
# Scores a recipe's exported model with `restore eval` on the protocols its issue asks for and
# appends the JSON rows to $RUNS/<name>/eval.jsonl (the table goes to stdout).
# Usage: eval.sh <name> [subset N: first N images of each denoising set, a quick sanity check]
source "$(dirname "$0")/lib.sh"
name=${1:?usage: eval.sh <name> [N]}
subset=${2:-}
dir=$RUNS/$name
model=$dir/$name.onnx
[ -f "$model" ] || { echo "eval: $model missing (train first)" >&2; exit 2; }
EVAL=${EVAL:-/work/shared/data/eval}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

set_of() { # a whole set, or a folder with its first $subset images
  if [ -z "$subset" ]; then echo "$EVAL/$1"; return; fi
  mkdir -p "$tmp/$1"; find "$EVAL/$1" -maxdepth 1 -type f | sort | head -n "$subset" | xargs -I{} cp {} "$tmp/$1/"
  echo "$tmp/$1"
}
ev() { nice -n "$NICE" $RESTORE eval --model "$model" --models-dir "$dir" --threads "$THREADS" "$@" --json | tee -a "$dir/eval.jsonl"; }

case $name in
  denoise-gray*)
    for s in 15 25 50; do ev --task denoise --set "$(set_of BSD68)" --sigma $s; done
    ev --task denoise --set "$(set_of Set12)" --sigma 25 ;;
  denoise*)
    for s in 15 25 50; do ev --task denoise --set "$(set_of CBSD68)" --sigma $s; done
    ev --task denoise --set "$(set_of McMaster)" --sigma 25 ;;
  upscale*)
    for set in Set5 Set14; do ev --task upscale --set "$EVAL/sr/$set"; done ;;
  inpaint*) # the model's bands; OpenCV Telea / Navier-Stokes on the same masks (needs opencv-python-headless)
    for set in CBSD68 McMaster; do
      mkdir -p "$tmp/masks-$set"
      ev --task inpaint --set "$(set_of $set)" --masks "$tmp/masks-$set"
      python3 "$REPO/training/recipes/inpaint_baselines.py" "$tmp/masks-$set" "$EVAL/$set"
    done ;;
  detect-damage*) # threshold calibrated on held-out training photos (CALIB), then scored on eval sets
    [ -n "${CALIB:-}" ] && ev --task detect-damage --set "$CALIB" --calibrate
    for set in CBSD68 McMaster Set12; do ev --task detect-damage --set "$(set_of $set)"; done ;;
  old-print*) # the old-print protocol on gray eval photos, beside the white-noise denoiser at its best sigma
    for set in CBSD68 McMaster; do
      ev --task denoise --set "$(set_of $set)" --old-print
      nice -n "$NICE" $RESTORE eval --model denoise-color --threads "$THREADS" --task denoise --set "$(set_of $set)" --old-print
    done ;;
  colorize*)
    for set in CBSD68 McMaster; do ev --task colorize --set "$(set_of $set)" --hints 0,1,10,100; done ;;
  *) echo "eval: unknown recipe $name" >&2; exit 2 ;;
esac
