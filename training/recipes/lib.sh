# Shared runner of the training recipes (sourced, not run): one folder per model under $RUNS
# (outside the git work tree), resumed from its checkpoint when one exists, JSON events appended
# to train.jsonl and the human log to train.log. Environment knobs (all optional):
#   RUNS=/work/runs  DATA=/work/shared/data/train  THREADS=<cores>  PROVIDER=auto|cpu|cuda|dml
#   NICE=19  MINUTES=<budget of this session; the run resumes next time>  RESTORE=<restore command>
#   EXTRA="<options>" appended last, so they override the recipe's (e.g. --batch 64 on a GPU); a
#   run must be resumed with the same EXTRA (the checkpoint refuses another configuration), and
#   RUNS=<another folder> keeps such a variant apart.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${RUNS:-/work/runs}
DATA=${DATA:-/work/shared/data/train}
THREADS=${THREADS:-$(nproc)}
PROVIDER=${PROVIDER:-auto}
NICE=${NICE:-19}
RESTORE=${RESTORE:-node $REPO/bin/restore.js}

case "$(realpath -m "$DATA")" in
  */eval|*/eval/*) echo "recipes: refusing to train on $DATA (evaluation data)" >&2; exit 2 ;;
esac

# recipe_train <name> <restore train options...>: trains $RUNS/<name>/<name>.onnx.
recipe_train() {
  local name=$1; shift
  local dir=$RUNS/$name
  mkdir -p "$dir"
  local ckpt=$dir/$name.ckpt
  local extra=()
  [ -f "$ckpt" ] && extra+=(--resume "$ckpt")
  [ -n "${MINUTES:-}" ] && extra+=(--minutes "$MINUTES")
  # shellcheck disable=SC2206
  [ -n "${EXTRA:-}" ] && extra+=($EXTRA)
  echo "== $(date -u +%FT%TZ) $name: restore train $* ${extra[*]}" >> "$dir/train.log"
  # shellcheck disable=SC2086
  nice -n "$NICE" $RESTORE train "$@" --out "$dir/$name.onnx" --checkpoint "$ckpt" "${extra[@]}" \
    --threads "$THREADS" --provider "$PROVIDER" --json >> "$dir/train.jsonl" 2>> "$dir/train.log"
}

# recipe_photo_data <dir>: the photo mix of the colour and repair models (ImageNet1k scenes,
# AllAgeFaces portraits, all of train/color), gathered into <dir> by hard links (copies where
# links cannot be made); made once, atomically.
recipe_photo_data() {
  local data=$1
  [ -d "$data" ] && return 0
  mkdir -p "$data.tmp"
  for d in scenes/ImageNet1k faces/AllAgeFaces color/BSDS400 color/T91 color/SunHays80 color/LIVE1; do
    mkdir -p "$data.tmp/$(dirname "$d")"
    cp -rl "$DATA/$d" "$data.tmp/$d" 2>/dev/null || cp -r "$DATA/$d" "$data.tmp/$d"
  done
  mv "$data.tmp" "$data"
}

# accel_photo_copies <photo mix dir> <out dir> <long> <min> <quality>: the photo mix (gathered by
# recipe_photo_data when missing) as small WebP copies inside the repository, to travel to an
# accelerator machine (accel_photo_data.mjs); .accel/ kept out of git. Made once.
accel_photo_copies() {
  local src=$1 out=$2
  shift 2
  [ -d "$out" ] && return 0
  recipe_photo_data "$src"
  node training/recipes/accel_photo_data.mjs "$src" "$out" "$@"
  grep -qs '^/.accel/' .git/info/exclude || { mkdir -p .git/info; echo /.accel/ >> .git/info/exclude; }
}

# recipe_step <name>: the step of the last checkpoint of $RUNS/<name> (0 when there is none).
recipe_step() {
  local log=$RUNS/$1/train.jsonl
  local step=
  [ -f "$log" ] && step=$(grep '"type":"checkpoint"' "$log" | tail -1 | sed 's/.*"step":\([0-9]*\).*/\1/' || true)
  echo "${step:-0}"
}

# recipe_upscale_robust <scale> <LR patch>: the robust variant of the shipped x<scale> model (a
# separate model): fine-tuned with Gaussian blur sigma 0.3-1.5 px of the HR image on half the
# samples before the bicubic downscale, Gaussian noise sigma 0-10 on the LR, JPEG q50-95 on half.
recipe_upscale_robust() {
  local scale=$1 patch=$2
  local base=$REPO/models/upscale-x$scale.onnx
  [ -f "$base" ] || { echo "upscale-x$scale-robust: $base missing" >&2; exit 2; }
  recipe_train "upscale-x$scale-robust" --task upscale --data "$DATA/color" --channels 3 \
    --base "$base" --models-dir "$REPO/models" \
    --blur 0.3-1.5 --sigma 0-10 --jpeg 50-95 --loss l1 --lr 2e-4 --warmup 200 \
    --batch 16 --patch "$patch" --steps 3000 --val-every 250 --checkpoint-every 250 --seed 2
}

# model_from_git <id> <commit> <sha256> <dir>: models/<id>.onnx as shipped at <commit>, restored into
# <dir> (its .onnx and a manifest listing only it) and checked against its sha256: the base of a
# recipe whose own output has replaced models/<id>.onnx since. Nothing is done when <dir> already
# holds that model (same sha256), so a recipe calls it on every run.
model_from_git() {
  local id=$1 commit=$2 sha=$3 dir=$4
  [ -f "$dir/manifest.json" ] && echo "$sha  $dir/$id.onnx" | sha256sum -c --quiet - >/dev/null 2>&1 && return 0
  mkdir -p "$dir"
  git -C "$REPO" show "$commit:models/$id.onnx" > "$dir/$id.onnx"
  git -C "$REPO" show "$commit:models/manifest.json" |
    ID=$id node -e "const m=JSON.parse(require('fs').readFileSync(0,'utf8'));m.models=m.models.filter((e)=>e.id===process.env.ID);process.stdout.write(JSON.stringify(m,null,2)+'\n')" > "$dir/manifest.json"
  echo "$sha  $dir/$id.onnx" | sha256sum -c --quiet - ||
    { echo "$id at $commit: $dir/$id.onnx is not the expected model (sha256 $sha)" >&2; exit 2; }
}

# The colour denoiser's stages, each the base of the next (or of denoise-color-real): stage 1 (GPU)
# shipped until 5ce9a4e, stage 1b (CPU, all of train/color) until 64f9d87, stage 1c (colour
# augmentation) until c19ef4b.
denoise_color_stage1() { model_from_git denoise-color 5ce9a4e da62598222a21628b3a866b63d987cbab4ec57b4536a1824071f6c08a302f9a1 "$1"; }
denoise_color_stage1b() { model_from_git denoise-color 64f9d87 9e951124eea2337bdff0dc749f5be87dee2e78246d3531366fd679a98c3b3d3b "$1"; }
denoise_color_stage1c() { model_from_git denoise-color c19ef4b 8473d8a57b7e8d87335ba09038a1edd323bc391ca902379c84e34a988bad6f18 "$1"; }

# The float-trained denoisers as shipped before issue 17 (the bases of their 8-bit stages).
denoise_color_stage1d() { model_from_git denoise-color 48de7d8 5fdebf74704c796b04affc0c6b875bbe922acd624850900d91626a0eef6c93fd "$1"; }
denoise_gray_stage1() { model_from_git denoise-gray 48de7d8 af3a7191677dd7fc34620737793ccd0373a609941285e4cf9f3cbcfdc244f5bf "$1"; }

# The 8-bit denoisers shipped by issue 17 (the bases of stage 3).
denoise_color_8bit() { model_from_git denoise-color 8b6d698 b7e8f9c769a5f2232ecdd1b2aa618a2cb214710efa33262a7814f6d4ae1e9582 "$1"; }
denoise_gray_8bit() { model_from_git denoise-gray 8b6d698 84bbf0ccba7e3503e51f0f0df688bb96165ee9da085a8c93df1a7f8001adcf10 "$1"; }

# The damage detector as first shipped (the base of its stage 2).
detect_damage_stage1() { model_from_git detect-damage 7d6c1f2 511285f852df288ae46b92b27ec9f1609c92d7848bf7cf40fd0546ae5bfb8291 "$1"; }

# The colourizer as first shipped (the base of its stage 2).
colorize_stage1() { model_from_git colorize 0e71b53 71402402b0a861a8fcca7f92533babc2c975db689bac69ab0d9208a1233c90b9 "$1"; }

# The inpainter as first shipped (the base of its stage 2).
inpaint_stage1() { model_from_git inpaint a49a0f0 c09df4a4d0ca2f2c2a01f15a03ec801616b4a8ac01471a5c4b10253cb4c78e0f "$1"; }

# The detector's stage 2 as shipped (the base of its stage 3).
detect_damage_stage2() { model_from_git detect-damage 01d73f1 955785e3a2cdfada4d399558e0d051e0a8467433f46b22958a55181cbfcb2701 "$1"; }

# The colourizer's stage 2 as shipped (the base of its stage 3).
colorize_stage2() { model_from_git colorize 59246cf 05945c69d23b13129c48e32dbc7a90500ce030df9481dd7db526165d89ed454d "$1"; }

# The inpainter's stage 2 as shipped (the base of its stage 3, inpaint-accel.sh).
inpaint_stage2() { model_from_git inpaint df716b2 a0743e35b36b20bb256a344a71fc4ff8a9ab4d064bdee0176f9676d6fc03b4e3 "$1"; }

# The first (3-level) old-print restorer as shipped (the base of old-print-stage2.sh).
old_print_stage1() { model_from_git old-print b7f4a06 7ade257272bd3b4817d8e74814e83643c60fa79ec2e389b9ceb640a18b73ad89 "$1"; }

# The 4-level old-print restorer's stage 1 (old-print-deep-cpu.sh, shipped at 8634106; the base of old-print-deep-stage2.sh).
old_print_deep() { model_from_git old-print 8634106 3c27b0a790308b88e605680208d42b7c4d7432832663101aecacf5f7ed0f9e61 "$1"; }

# The 4-level old-print restorer's stage 2 as shipped (old-print-deep-stage2.sh, 7e548fc; the base of old-print-deep-stage3.sh).
old_print_deep_stage2() { model_from_git old-print 7e548fc e54eb252e1e4ad8754d618357d50c0aec1d409e03bebacddc7d52f6334d66791 "$1"; }

# The detector's stage 4 as shipped (the base of detect-damage-stage5.sh and detect-damage-accel.sh).
detect_damage_stage4() { model_from_git detect-damage 8a52fc4 76f48bdb86014b5a65a1212b7651899444388bff5dfb5bd6dbd344f79e384943 "$1"; }

# accel_import <job> <returned folder> <out dir> <model file name> <restore train options of the
# export...>: the weights an accelerator run brought back (<job>.params, or its parts .1, .2, ...,
# and the run's "done" line in log.jsonl for its step and seconds) made a checkpoint
# (params_to_ckpt.py; PYTHON: a python3 with numpy) and resumed by restore train with the export's
# options: validated on the held-out split and published as <out dir>/<model file name>. The job
# folder is ${ACCEL_JOBS:-.accel/jobs}/<job>.
accel_import() {
  local job=$1 src=$2 out=$3 file=$4 done_line step secs
  shift 4
  done_line=$(grep "\"job\": \"$job\", [^}]*\"event\": \"done\"" "$src/log.jsonl")
  step=$(sed 's/.*"step": \([0-9]*\).*/\1/' <<<"$done_line")
  secs=$(sed 's/.*"seconds": \([0-9.]*\).*/\1/' <<<"$done_line")
  mkdir -p "$out"
  # shellcheck disable=SC2046
  "${PYTHON:-python3}" training/accelerator/params_to_ckpt.py --job "${ACCEL_JOBS:-.accel/jobs}/$job" --params $(ls -v "$src/$job.params"*) \
    --step "$step" --seconds "$secs" --out "$out/import.ckpt"
  node bin/restore.js train "$@" --steps "$step" --resume "$out/import.ckpt" --out "$out/$file" --preview "$out/preview" --json > "$out/import.jsonl"
}
