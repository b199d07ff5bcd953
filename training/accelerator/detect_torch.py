"""Damage-detection examples on the GPU for accelerator jobs, mirroring training/data/damageSample.ts:
a clean sRGB crop made gray on the mix's share (BT.601 luma replicated) and given an old-print look
on half (oldPrint.ts, via inpaint_torch.py); on three quarters of the samples a damage overlay from
the job's bank (damageBank.ts: 1-3 layers of real film damage, thin procedural scratches and specks,
light or dark, drawn by the Node code at export) under a random one of the eight flips and
rotations: x' = x (1 - A) + B, target 1 where a layer reached the damage threshold; then a mild
blur (0.3-0.8 px) on 30% and a JPEG round trip (quality 50-95, 4:2:0, Pillow on the host) on 30%.
Same laws as the Node pipeline, another generator.
"""
import gzip
import io

import numpy as np
import torch
from PIL import Image

from colorize_torch import gaussian_blur
from inpaint_torch import old_print_look, to_gray

CLEAN_SHARE = 0.25


def load_damage_bank(path, count, side, device):
    """damage.bin.gz -> (A, B) float tensors (count, side, side) in [0, 1] and the target (count, side,
    side) of 0/1, on `device` (A and B kept as uint8 until used)."""
    with gzip.open(path, "rb") as f:
        raw = np.frombuffer(f.read(), dtype=np.uint8)
    n = side * side
    bits = (n + 7) // 8
    per = 2 * n + bits
    if raw.size != per * count:
        raise ValueError(f"{path}: {raw.size} bytes, expected {per * count} for {count} overlays of {side} px")
    raw = raw.reshape(count, per)
    a = torch.from_numpy(raw[:, :n].reshape(count, side, side).copy()).to(device)
    b = torch.from_numpy(raw[:, n:2 * n].reshape(count, side, side).copy()).to(device)
    t = np.unpackbits(raw[:, 2 * n:], axis=1)[:, :n].reshape(count, side, side)
    return a, b, torch.from_numpy(t.copy()).to(device)


def jpeg_round_trip(x, quality):
    """(1, C, H, W) in [0, 1], C = 1 or 3, through an 8-bit JPEG of `quality` (4:2:0 chroma for
    colour), as degrade.ts jpegRoundTrip makes it with sharp."""
    gray = x.shape[1] == 1
    hwc = (x[0].permute(1, 2, 0).clamp(0, 1) * 255).round().to(torch.uint8).cpu().numpy()
    buf = io.BytesIO()
    if gray:
        Image.fromarray(hwc[..., 0], "L").save(buf, "JPEG", quality=int(quality))
    else:
        Image.fromarray(hwc, "RGB").save(buf, "JPEG", quality=int(quality), subsampling=2)
    buf.seek(0)
    back = np.asarray(Image.open(buf).convert("L" if gray else "RGB"), dtype=np.float32) / 255
    back = back[..., None] if gray else back
    return torch.from_numpy(back).to(x.device).permute(2, 0, 1).unsqueeze(0).to(x.dtype)


def _orient(m, flip, r):
    if flip:
        m = torch.flip(m, dims=[1])
    return torch.rot90(m, r, dims=[0, 1]) if r else m


def damage_batch(clean, bank, rng, gen, gray_share):
    """A batch of clean sRGB crops (N, 3, S, S) in [0, 1] -> (damaged image, target mask (N, 1, S, S))."""
    a_bank, b_bank, t_bank = bank
    N, _, S, _ = clean.shape
    image = torch.empty_like(clean)
    target = torch.zeros((N, 1, S, S), dtype=clean.dtype, device=clean.device)
    for n in range(N):
        img = clean[n:n + 1]
        if rng.random() < gray_share:
            img = to_gray(img)
        if rng.random() < 0.5:
            img = old_print_look(img, rng, gen)
        if rng.random() >= CLEAN_SHARE:
            k = int(rng.integers(a_bank.shape[0]))
            flip, r = rng.random() < 0.5, int(rng.integers(4))
            a = _orient(a_bank[k], flip, r).to(clean.dtype) / 255
            b = _orient(b_bank[k], flip, r).to(clean.dtype) / 255
            img = img * (1 - a) + b
            target[n, 0] = _orient(t_bank[k], flip, r).to(clean.dtype)
        if rng.random() < 0.3:
            img = gaussian_blur(img, float(rng.uniform(0.3, 0.8)))
        if rng.random() < 0.3:
            img = jpeg_round_trip(img, round(rng.uniform(50, 95)))
        image[n:n + 1] = img
    return image.contiguous(), target


__all__ = ["damage_batch", "jpeg_round_trip", "load_damage_bank"]
