"""Inpainting examples on the GPU for accelerator jobs, mirroring training/data/tasks.ts (inpaint):
a clean sRGB crop made gray on a third of the samples (BT.601 luma replicated, oldPrint.ts toGray)
and given an old-print look on a fifth (oldPrint.ts oldPrintLook: faded contrast, sepia or cool
toning, blur, white or correlated film grain, each on about half), a hole from the job's bank
(holeBank.ts: holes drawn by masks.ts randomHoleMask at export, under a random one of the eight
flips and rotations here), and the holes given the engine's coarse push-pull fill
(electron/engine/pushPull.ts, batched here; a test compares the two). Target: the crop before
the holes (with its gray and old looks). Same laws as the Node pipeline, another generator.
"""
import gzip
import math

import numpy as np
import torch

from colorize_torch import gaussian_blur

GRAY_SHARE = 0.33
OLD_LOOK_SHARE = 0.2


def load_hole_bank(path, count, side, device):
    """holes.bin.gz -> (count, side, side) uint8 tensor of 0/1 on `device`."""
    with gzip.open(path, "rb") as f:
        packed = np.frombuffer(f.read(), dtype=np.uint8)
    per = (side * side + 7) // 8
    if packed.size != per * count:
        raise ValueError(f"{path}: {packed.size} bytes, expected {per * count} for {count} holes of {side} px")
    bits = np.unpackbits(packed.reshape(count, per), axis=1)[:, : side * side]
    return torch.from_numpy(bits.reshape(count, side, side).copy()).to(device)


def _upsample_axis(c, n_fine, axis):
    """Bilinear 2x along `axis` as pushPull.ts pulls: coarse coordinate (i + 0.5) / 2 - 0.5, clamped."""
    n_coarse = c.shape[axis]
    pos = ((torch.arange(n_fine, device=c.device, dtype=torch.float64) + 0.5) / 2 - 0.5).clamp(0, n_coarse - 1)
    i0 = pos.floor().long()
    i1 = (i0 + 1).clamp(max=n_coarse - 1)
    f = (pos - i0).to(c.dtype)
    shape = [1] * c.dim()
    shape[axis] = n_fine
    f = f.view(shape)
    return c.index_select(axis, i0) * (1 - f) + c.index_select(axis, i1) * f


def push_pull_fill(x, hole):
    """x (N, C, H, W) with its holes (N, 1, H, W, 1 = hole) filled by push-pull; samples that are all
    hole or have none are returned as they are (pushPull.ts pushPullPlane)."""
    known = (hole <= 0).to(x.dtype)
    wt = known.expand_as(x)
    v = x * wt
    levels = [(v, wt)]
    while (v.shape[2] > 1 or v.shape[3] > 1) and bool((wt <= 0).any()):
        H, W = v.shape[2], v.shape[3]
        ph, pw = H % 2, W % 2
        vp = torch.nn.functional.pad(v * wt, (0, pw, 0, ph))
        wp = torch.nn.functional.pad(wt, (0, pw, 0, ph))
        N, C, H2, W2 = vp.shape
        sv = vp.reshape(N, C, H2 // 2, 2, W2 // 2, 2).sum(dim=(3, 5))
        sw = wp.reshape(N, C, H2 // 2, 2, W2 // 2, 2).sum(dim=(3, 5))
        v = torch.where(sw > 0, sv / sw.clamp_min(1e-30), torch.zeros_like(sv))
        wt = sw.clamp(max=1)
        levels.append((v, wt))
    for lvl in range(len(levels) - 2, -1, -1):
        fv, fw = levels[lvl]
        cv = levels[lvl + 1][0]
        up = _upsample_axis(_upsample_axis(cv, fv.shape[2], 2), fv.shape[3], 3)
        fv = torch.where(fw >= 1, fv, fw * fv + (1 - fw) * up)
        levels[lvl] = (fv, torch.ones_like(fw))
    top = levels[0][0]
    filled = torch.where(hole > 0, top, x)
    full = (hole > 0).flatten(1).all(dim=1).view(-1, 1, 1, 1)
    return torch.where(full, x, filled)


def to_gray(x):
    y = 0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]
    return y.expand_as(x).contiguous()


def print_tone(t, warm):
    """Per-channel gains of a toned print of strength t: sepia (warm) or cool (oldPrint.ts)."""
    return [1, 1 - 0.12 * t, 1 - 0.3 * t] if warm else [1 - 0.08 * t, 1 - 0.02 * t, 1]


def grain_plane(h, w, gen, correlated, s, device, dtype=torch.float32):
    """(1, 1, h, w) unit-variance noise; correlated: Gaussian low-pass of sigma `s` with the gain
    that restores unit variance (oldPrint.ts grainPlane)."""
    n = torch.randn((1, 1, h, w), generator=gen, device=device, dtype=dtype)
    return gaussian_blur(n, s) * (2 * math.sqrt(math.pi) * s) if correlated else n


def old_print_look(x, rng, gen):
    """One sample (1, C, S, S) in [0, 1] made to look like an old print (oldPrint.ts oldPrintLook)."""
    if rng.random() < 0.5:
        lo, hi = rng.uniform(0, 0.15), rng.uniform(0.75, 1)
        x = lo + (hi - lo) * x
    if x.shape[1] == 3 and rng.random() < 0.5:
        x = to_gray(x)
        warm = rng.random() < 0.8
        t = rng.uniform(0.3, 1)
        x = x * torch.tensor(print_tone(t, warm), dtype=x.dtype, device=x.device).view(1, 3, 1, 1)
    if rng.random() < 0.5:
        x = gaussian_blur(x, float(rng.uniform(0.4, 1.4)))
    if rng.random() < 0.5:
        sigma = float(rng.uniform(0.01, 0.06))
        correlated = rng.random() < 0.6
        s = float(rng.uniform(0.6, 1.5))
        x = (x + sigma * grain_plane(x.shape[2], x.shape[3], gen, correlated, s, x.device, x.dtype)).clamp(0, 1)
    return x


def inpaint_batch(clean, holes, rng, gen):
    """A batch of clean sRGB crops (N, 3, S, S) in [0, 1] and the job's hole bank -> (image with
    push-pull-filled holes, mask, target)."""
    N, _, S, _ = clean.shape
    target = clean.clone()
    mask = torch.empty((N, 1, S, S), dtype=clean.dtype, device=clean.device)
    for n in range(N):
        img = target[n:n + 1]
        if rng.random() < GRAY_SHARE:
            img = to_gray(img)
        if rng.random() < OLD_LOOK_SHARE:
            img = old_print_look(img, rng, gen)
        target[n:n + 1] = img
        m = holes[int(rng.integers(holes.shape[0]))]
        if rng.random() < 0.5:
            m = torch.flip(m, dims=[1])
        r = int(rng.integers(4))
        if r:
            m = torch.rot90(m, r, dims=[0, 1])
        mask[n, 0] = m
    image = push_pull_fill(target, mask)
    return image.contiguous(), mask, target.contiguous()


__all__ = ["grain_plane", "inpaint_batch", "load_hole_bank", "old_print_look", "print_tone", "push_pull_fill", "to_gray"]
