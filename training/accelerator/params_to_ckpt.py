"""Turns the weights an accelerator job brought back (run_job.py --params-out: float32 in job order,
as init-params.bin) into a training checkpoint (training/checkpoint.ts format) that `restore train
--resume` with the job's options validates and publishes. A whole checkpoint (weights, Adam moments,
best weights) of a 4M-parameter model is 66 MB, over what one file back from the device machine may
be; the weights alone are a quarter. The moments start at zero (a later resume warms them up again).

usage: python3 params_to_ckpt.py --job DIR --params FILE [FILE...] --step N --out CKPT [--seconds S]
(several files: the parts run_job.py writes when the weights exceed PARAMS_PART_BYTES, in order)
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checkpoint_io import write_checkpoint  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--job", required=True)
    ap.add_argument("--params", required=True, nargs="+")
    ap.add_argument("--step", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seconds", type=float, default=0)
    a = ap.parse_args()
    with open(os.path.join(a.job, "job.json")) as f:
        job = json.load(f)
    raw = np.concatenate([np.fromfile(f, dtype="<f4") for f in a.params])
    need = sum(int(p["size"]) for p in job["params"])
    if raw.size != need:
        raise SystemExit(f"{' + '.join(a.params)}: {raw.size} values, the job's parameters need {need}")
    names, params, off = [], {}, 0
    for p in job["params"]:
        params[p["name"]] = raw[off:off + p["size"]]
        names.append(p["name"])
        off += p["size"]
    if not all(np.isfinite(x).all() for x in params.values()):
        raise SystemExit(f"{' + '.join(a.params)}: weights are not all finite")
    zeros = {n: np.zeros_like(x) for n, x in params.items()}
    meta = dict(job["initMeta"])
    meta.update({"step": a.step, "bestPsnr": None, "bestStep": a.step, "roundsWithoutImprovement": 0,
                 "seconds": float(meta.get("seconds") or 0) + a.seconds})
    write_checkpoint(a.out, meta, names, params, zeros, zeros, params)
    print(f"{a.out}: step {a.step}, {len(names)} tensors, {need} weights")


if __name__ == "__main__":
    main()
