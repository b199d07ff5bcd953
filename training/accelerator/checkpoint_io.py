"""Reads and writes training checkpoints in the format of training/checkpoint.ts:
"RSTCKPT1\\n", uint32 LE header length, JSON header {meta, params: [{name, size}]}, then float32
blobs: parameters, Adam m, Adam v, best weights, each in header order. Writes are atomic
(temporary file, fsync, rename), like the Node side.
"""
import json
import os
import struct

import numpy as np

MAGIC = b"RSTCKPT1\n"


def read_checkpoint(path):
    with open(path, "rb") as f:
        buf = f.read()
    if not buf.startswith(MAGIC):
        raise ValueError(f"{path}: not a training checkpoint")
    (hl,) = struct.unpack_from("<I", buf, len(MAGIC))
    header = json.loads(buf[len(MAGIC) + 4:len(MAGIC) + 4 + hl].decode())
    off = len(MAGIC) + 4 + hl
    total = sum(p["size"] for p in header["params"]) * 16
    if len(buf) - off != total:
        raise ValueError(f"{path}: truncated checkpoint ({len(buf) - off} of {total} data bytes)")
    groups = []
    for _ in range(4):
        g = {}
        for p in header["params"]:
            g[p["name"]] = np.frombuffer(buf, dtype="<f4", count=p["size"], offset=off).copy()
            off += p["size"] * 4
        groups.append(g)
    params, m, v, best = groups
    return header["meta"], [p["name"] for p in header["params"]], params, m, v, best


def write_checkpoint(path, meta, names, params, m, v, best):
    header = {"meta": meta, "params": [{"name": n, "size": int(params[n].size)} for n in names]}
    js = json.dumps(header, allow_nan=False).encode()
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<I", len(js)))
        f.write(js)
        for group in (params, m, v, best):
            for n in names:
                f.write(np.ascontiguousarray(group[n], dtype="<f4").tobytes())
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
