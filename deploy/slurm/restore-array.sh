#!/bin/bash
# Restores one archive with a Slurm job array: task K of the array processes shard K of 16
# (`restore ... --shard K/16`, docs/cluster.md). All tasks write into one output tree on a shared
# file system; a file that already has its output is skipped, so resubmitting the array (or one
# task: sbatch --array=5 ...) finishes only what is missing. Arguments after the script's name are
# passed to `restore`, e.g.
#   IN=/archive/scans OUT=/archive/restored sbatch deploy/slurm/restore-array.sh --sigma 15
#   TASK=upscale sbatch deploy/slurm/restore-array.sh --scale 2 --format png
# Environment (sbatch exports the submitting shell's by default):
#   IN, OUT    input folder (searched recursively) and output folder (mirrors the input tree)
#   TASK       denoise | upscale | colorize | any other processing command (default denoise)
#   RESTORE    the CLI: `restore` on PATH (default), `node /opt/restore-studio/bin/restore.js`,
#              or a container, e.g. `apptainer exec restore-studio.sif node /app/bin/restore.js`
# One JSON event per line goes to restore-<job>_<task>.jsonl (its `summary` names the shard),
# messages to restore-<job>_<task>.log. The exit code is restore's: 1 when a file failed or the
# task was interrupted (its rerun skips what was written), 2 for a usage error.
#SBATCH --job-name=restore
#SBATCH --array=0-15
#SBATCH --cpus-per-task=4
#SBATCH --mem=6G
#SBATCH --time=08:00:00
#SBATCH --output=restore-%A_%a.jsonl
#SBATCH --error=restore-%A_%a.log
# GPU partitions: add "#SBATCH --gres=gpu:1", build the CUDA image (deploy/Dockerfile.cuda) and
# pass --provider cuda (with apptainer: exec --nv).
set -euo pipefail

SHARDS=16 # the number of tasks of --array above (0-15)
: "${SLURM_ARRAY_TASK_ID:?run this script with sbatch (a job array), or set SLURM_ARRAY_TASK_ID}"
if [[ ! "${SLURM_ARRAY_TASK_ID}${SLURM_ARRAY_TASK_MAX:-0}" =~ ^[0-9]+$ ]]; then
  echo "restore-array.sh: SLURM_ARRAY_TASK_ID must be a whole number, got \"${SLURM_ARRAY_TASK_ID}\"" >&2
  exit 2
fi
# Tasks 0..SHARDS-1 are the shards. A first submission covers them all; a rerun may name some
# (sbatch --array=3,11 ...): noted on stderr, not refused. A task beyond the shards is refused.
if ((SLURM_ARRAY_TASK_ID >= SHARDS || ${SLURM_ARRAY_TASK_MAX:-0} >= SHARDS)); then
  echo "restore-array.sh: array task ${SLURM_ARRAY_TASK_MAX:-${SLURM_ARRAY_TASK_ID}} is beyond the ${SHARDS} shards (0-$((SHARDS - 1))): use --array=0-$((SHARDS - 1)) or change SHARDS" >&2
  exit 2
fi
if [[ "${SLURM_ARRAY_TASK_COUNT:-${SHARDS}}" != "${SHARDS}" ]]; then
  echo "restore-array.sh: note: this array has ${SLURM_ARRAY_TASK_COUNT} of the ${SHARDS} shards; the others are not run by this job" >&2
fi
IN="${IN:?set IN to the input folder}"
OUT="${OUT:?set OUT to the output folder}"
TASK="${TASK:-denoise}"
read -r -a RESTORE_CMD <<< "${RESTORE:-restore}"

exec "${RESTORE_CMD[@]}" "${TASK}" "${IN}" -o "${OUT}" --recursive \
  --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" \
  --threads "${SLURM_CPUS_PER_TASK:-4}" \
  --json "$@"
