#!/usr/bin/env bash
# Runs every job under a jobs folder at once on one accelerator machine (one process per job,
# sharing the GPU), for MINUTES each, and leaves in $OUT: <job>.params per job (the weights at every
# checkpoint, in parts .1, .2, ... over 15 MiB: what params_to_ckpt.py and the recipes' accel_import
# take), <job>.ckpt (whole checkpoints with Adam's moments; in CKPT_DIR instead when set, e.g. /tmp
# for models whose checkpoint is over the 16 MiB a file back may be), log.jsonl (all events),
# all.txt (stdout/stderr of every process) and gpu.txt. Used through the device tool:
#   OUT=<dir> MINUTES=7.5 training/accelerator/device_run.sh .accel/jobs .accel/data/color
# PYTHON (default python3) and DEVICE (default cuda when available) may be set for a CPU rehearsal.
set -u
JOBS=$1
DATA=$2
OUTDIR=${OUT:?set OUT to the output folder}
MINUTES=${MINUTES:-7}
CKPTS=${CKPT_DIR:-$OUTDIR}
PY=${PYTHON:-python3}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUTDIR" "$CKPTS"
{ nvidia-smi --query-gpu=name,memory.used,memory.total,clocks.sm --format=csv; nproc; $PY -c 'import torch, sys; print(sys.version.split()[0], torch.__version__)'; } > "$OUTDIR/gpu.txt" 2>&1
pids=()
for j in "$JOBS"/*/; do
  n=$(basename "$j")
  PYTHONUNBUFFERED=1 OMP_NUM_THREADS=4 $PY "$HERE/run_job.py" --job "$j" --data "$DATA" --out "$CKPTS/$n.ckpt" --params-out "$OUTDIR/$n.params" \
    --minutes "$MINUTES" --log "$OUTDIR/log.jsonl" --name "$n" ${DEVICE:+--device "$DEVICE"} 2>&1 | sed -u "s/^/[$n] /" >> "$OUTDIR/all.txt" &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
nvidia-smi --query-gpu=memory.used,clocks.sm --format=csv >> "$OUTDIR/gpu.txt" 2>&1
grep -h '"event": "done"' "$OUTDIR/log.jsonl" || true
exit $status
