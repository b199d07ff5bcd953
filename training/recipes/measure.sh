#!/usr/bin/env bash
# The short architecture measurement of training/recipes/README.md: two candidates at a time, one
# thread each, at nice 19, for $MIN minutes each (constant LR 1e-3 after 20 warm-up steps: --steps
# is far beyond what the budget reaches), validation every 50 steps. Output: $RUNS/measure/<run>/.
# Usage: measure.sh <pair: dn|sr|dn4x4>   then summarize.sh $RUNS/measure/<run>/log.jsonl
source "$(dirname "$0")/lib.sh"
MIN=${MIN:-10}
one() { # one <run> <restore train options...>
  local run=$1; shift
  local dir=$RUNS/measure/$run
  mkdir -p "$dir"
  # shellcheck disable=SC2086
  nice -n "$NICE" $RESTORE train "$@" --out "$dir/model.onnx" --lr 1e-3 --warmup 20 --steps 100000 --minutes "$MIN" \
    --val-every 50 --checkpoint-every 100 --seed 1 --threads 1 --provider cpu --json > "$dir/log.jsonl" 2> "$dir/stderr.txt" &
}
dn=(--task denoise --data "$DATA/color" --channels 3 --sigma 0-75 --loss charbonnier --batch 16 --patch 64)
case ${1:?usage: measure.sh dn|sr|dn4x4} in
  dn) one dn-unet32 "${dn[@]}" --arch unet --width 32
      one dn-dncnn64 "${dn[@]}" --arch dncnn --width 64 --depth 17 ;;
  sr) one sr2-w32d4 --task upscale --scale 2 --data "$DATA/color" --loss l1 --batch 16 --patch 48 --arch subpixel --width 32 --depth 4
      one sr2-w64d8 --task upscale --scale 2 --data "$DATA/color" --loss l1 --batch 16 --patch 48 --arch subpixel --width 64 --depth 8 ;;
  dn4x4) one dn-unet4-16 "${dn[@]}" --arch unet --widths 16,32,64,128 --down pixelunshuffle
         one sr4-w64d8 --task upscale --scale 4 --data "$DATA/color" --loss l1 --batch 16 --patch 32 --arch subpixel --width 64 --depth 8 ;;
esac
wait
