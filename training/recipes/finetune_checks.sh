#!/usr/bin/env bash
# The fine-tuning checks of issue 15: what a user who only picks a folder gets from the default
# settings (training/fineTune.ts), each a 20-minute (LoC: 10) `restore train --base` run followed
# by `restore eval` against references the run never saw.
#   noisy  a noisy collection without clean copies: eval/CBSD68 with one fixed camera-like noise
#          (noisy_collection.mjs: RGB grain sd 20 of ~1 px, JPEG 85); `--noisy` fine-tune of
#          denoise-color on the noisy files alone; scored against the clean originals, on the
#          held-out photos and on all 68, beside the base at its best manual strength.
#   faces  colourization fine-tune of `colorize` on a family's faces it never saw: the AllAgeFaces
#          portraits its own training held out (seed 13, 10%: about 150, linked into faces-new/);
#          the fine-tune's held-out faces scored with restore eval --task colorize, base against
#          fine-tuned. (On all of AllAgeFaces, which the base trained on, there is little to learn.)
#   faces-faded  the same faces as one family's faded colour prints (faded_collection.mjs), a
#          colour look the base never saw: the held-out faded faces, base against fine-tuned.
#   loc    clean-mode fine-tune of denoise-gray on collections/LoC (grainy old prints taken as
#          clean): what the result says when there is little to gain.
#   loc-noisy  the same prints taken as noisy (`--noisy`: learn their film grain); no references
#          exist, so look at the result pictures and at eval/old/LoC restored with the model.
#   old-print-noisy  a collection of old prints with known originals: eval/BSD68 given the
#          old-print protocol (old_print_collection.ts: blur 0.8, grain 1 px sd 0.05, JPEG 75);
#          `--noisy` fine-tune of old-print on those files alone; scored against the originals,
#          on the held-out photos and on all 68, beside the base.
# Usage: MINUTES=20 THREADS=2 training/recipes/finetune_checks.sh noisy|faces|faces-faded|loc|loc-noisy|old-print-noisy
# Writes $RUNS/finetune-<case>/ (train.jsonl, train.log, eval-*.jsonl, held-out/ references).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${RUNS:-/work/runs}
SHARED=${SHARED:-/work/shared/data}
THREADS=${THREADS:-$(nproc)}
NICE=${NICE:-2}
RESTORE="node $REPO/bin/restore.js"
case_name=${1:?usage: finetune_checks.sh noisy|faces|faces-faded|loc|loc-noisy}
dir=$RUNS/finetune-$case_name
mkdir -p "$dir"

# held_out <train.jsonl> <reference folder> <out folder>: links the references of the run's
# held-out photos (matched by base name, any extension) into <out folder>.
held_out() {
  node -e '
    const fs = require("fs"), path = require("path");
    const [events, refs, out] = process.argv.slice(1);
    const split = fs.readFileSync(events, "utf8").split("\n").filter(Boolean).map(JSON.parse).find((e) => e.type === "split");
    const byName = new Map(fs.readdirSync(refs).map((f) => [path.parse(f).name, f]));
    fs.mkdirSync(out, { recursive: true });
    for (const f of split.heldOut) {
      const ref = byName.get(path.parse(f).name);
      if (!ref) throw new Error(`no reference for ${f}`);
      const dst = path.join(out, ref);
      if (!fs.existsSync(dst)) fs.symlinkSync(path.join(refs, ref), dst);
    }' "$1" "$2" "$3"
}

train() {
  nice -n "$NICE" $RESTORE train "$@" --minutes "${MINUTES:-20}" --threads "$THREADS" --provider cpu \
    --preview "$dir/preview" --json > "$dir/train.jsonl" 2> "$dir/train.log"
}
# noisy_check <base> <originals>: fine-tunes <base> --noisy on $dir/noisy alone, then scores base
# and fine-tune against the originals, on the run's held-out photos and on all of them.
noisy_check() {
  local base=$1 originals=$2
  grep -qs '"done"' "$dir/train.jsonl" || train --task denoise --base "$base" --data "$dir/noisy" --noisy --out "$dir/model.onnx"
  held_out "$dir/train.jsonl" "$originals" "$dir/held-out"
  # a refused fine-tune writes no model: its done event says why
  local models=("$base"); [ -f "$dir/model.onnx" ] && models+=("$dir/model.onnx") || grep '"done"' "$dir/train.jsonl" >&2
  for set in "$dir/held-out" "$originals"; do
    name=$(basename "$set")
    for m in "${models[@]}"; do
      $RESTORE eval --task denoise --model "$m" --set "$set" --inputs "$dir/noisy" --threads "$THREADS" --json | grep '"eval"' >> "$dir/eval-$name.jsonl"
    done
  done
}

case $case_name in
  noisy)
    [ -d "$dir/noisy" ] || node "$REPO/training/recipes/noisy_collection.mjs" --out "$dir/noisy" --sd 20 --grain 0.8 --quality 85 "$SHARED/eval/CBSD68"
    noisy_check denoise-color "$SHARED/eval/CBSD68" ;;
  faces)
    # The base's held-out split, as training/data/images.ts splitFiles draws it (seed 13, 10%,
    # paths relative to the photo-data root of colorize.sh).
    [ -d "$dir/faces-new" ] || node -e '
      const fs = require("fs"), path = require("path"), { createHash } = require("crypto");
      const [src, out] = process.argv.slice(1);
      fs.mkdirSync(out, { recursive: true });
      for (const f of fs.readdirSync(src).sort()) {
        const u = createHash("sha256").update(`13:faces/AllAgeFaces/${f}`).digest().readUInt32BE(0) / 4294967296;
        if (u < 0.1) fs.symlinkSync(path.join(src, f), path.join(out, f));
      }' "$SHARED/train/faces/AllAgeFaces" "$dir/faces-new"
    grep -qs '"done"' "$dir/train.jsonl" || train --task colorize --base colorize --data "$dir/faces-new" --out "$dir/model.onnx"
    held_out "$dir/train.jsonl" "$SHARED/train/faces/AllAgeFaces" "$dir/held-out"
    # a refused fine-tune writes no model: its done event says why (both whole-photo scores)
    models=(colorize); [ -f "$dir/model.onnx" ] && models+=("$dir/model.onnx") || grep '"done"' "$dir/train.jsonl" >&2
    for m in "${models[@]}"; do
      $RESTORE eval --task colorize --model "$m" --set "$dir/held-out" --hints 0,10 --threads "$THREADS" --json | grep '"eval"' >> "$dir/eval-held-out.jsonl"
    done ;;
  faces-faded)
    # The same unseen faces as one family's colour prints, faded alike (faded_collection.mjs:
    # reddened, blues weakened, blacks lifted): a look the base never saw, and the colours a user
    # wants the family's black-and-white photos to get. Held-out faded faces, base vs fine-tuned.
    faces=$RUNS/finetune-faces/faces-new
    [ -d "$faces" ] || { echo "finetune_checks.sh faces-faded: run the faces case first (it links $faces)" >&2; exit 2; }
    [ -d "$dir/faded" ] || node "$REPO/training/recipes/faded_collection.mjs" --out "$dir/faded" "$faces"
    grep -qs '"done"' "$dir/train.jsonl" || train --task colorize --base colorize --data "$dir/faded" --out "$dir/model.onnx"
    held_out "$dir/train.jsonl" "$dir/faded" "$dir/held-out"
    models=(colorize); [ -f "$dir/model.onnx" ] && models+=("$dir/model.onnx") || grep '"done"' "$dir/train.jsonl" >&2
    for m in "${models[@]}"; do
      $RESTORE eval --task colorize --model "$m" --set "$dir/held-out" --hints 0,10 --threads "$THREADS" --json | grep '"eval"' >> "$dir/eval-held-out.jsonl"
    done ;;
  loc)
    MINUTES=${MINUTES:-10} train --task denoise --base denoise-gray --data "$SHARED/collections/LoC" --out "$dir/model.onnx" ;;
  loc-noisy)
    MINUTES=${MINUTES:-10} train --task denoise --base denoise-gray --data "$SHARED/collections/LoC" --noisy --out "$dir/model.onnx"
    [ -f "$dir/model.onnx" ] && $RESTORE denoise "$SHARED/eval/old/LoC" -o "$dir/old-LoC" --model "$dir/model.onnx" --threads "$THREADS" ;;
  old-print-noisy)
    if [ ! -d "$dir/noisy" ]; then
      npx --prefix "$REPO" esbuild "$REPO/training/recipes/old_print_collection.ts" --bundle --platform=node --format=cjs --packages=external --log-level=warning --outfile="$REPO/node_modules/.cache/old_print_collection.cjs"
      node "$REPO/node_modules/.cache/old_print_collection.cjs" "$SHARED/eval/BSD68" "$dir/noisy"
    fi
    noisy_check old-print "$SHARED/eval/BSD68" ;;
  *) echo "finetune_checks.sh: unknown case $case_name (noisy|faces|faces-faded|loc|loc-noisy|old-print-noisy)" >&2; exit 2 ;;
esac
echo "finetune_checks.sh $case_name: $dir" >&2
