#!/usr/bin/env bash
# Summarises `restore train --json` logs: per validation, the step, the training minutes so far
# (sum of step times, batch / imagesPerSec; validation time excluded) and the held-out PSNR,
# then the median ms/step. Usage: summarize.sh <train.jsonl> [batch, default 16]
set -euo pipefail
node -e '
const fs = require("node:fs");
const [file, batchArg] = process.argv.slice(1);
const batch = Number(batchArg ?? 16);
let sec = 0; const ms = []; const rows = [];
for (const line of fs.readFileSync(file, "utf8").split("\n")) {
  if (!line.startsWith("{")) continue;
  const e = JSON.parse(line);
  if (e.type === "step" && e.imagesPerSec > 0) { const s = batch / e.imagesPerSec; sec += s; ms.push(1000 * s); }
  if (e.type === "validation") rows.push(`step ${String(e.step).padStart(6)}  ${(sec / 60).toFixed(1).padStart(6)} min  ${e.psnr.toFixed(2)} dB`);
}
ms.sort((a, b) => a - b);
console.log(rows.join("\n"));
console.log(`steps ${ms.length}, median ${ms.length ? ms[ms.length >> 1].toFixed(0) : "-"} ms/step, step time ${(sec / 60).toFixed(1)} min`);
' "$1" "${2:-16}"
