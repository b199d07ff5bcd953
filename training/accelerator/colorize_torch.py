"""Colourization examples on the GPU for accelerator jobs, mirroring training/data/colorizeSample.ts
and the renderer of electron/engine/color/hints.ts: a clean sRGB crop split into CIE Lab (D65; L/100
in, ab/128 out), 35% of the samples without colour points (automatic), the rest with a log-uniform
1-160 points (per frame of `hint_frame` pixels scaled to the crop's area when the job sets it),
placed uniformly or normal about the centre (sd = side / 4), each a disc of radius 0-3 holding the
5 x 5 mean ab around it; 35% of the L inputs made to look like old prints (faded contrast, blur,
white or low-pass correlated grain, each on about half). The draws follow the same laws as the Node
pipeline, from another generator: the batches are not bit-identical, the step math is.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

AUTOMATIC_SHARE = 0.35
MAX_TRAIN_HINTS = 160
OLD_PRINT_SHARE = 0.35

_XN, _ZN = 0.95047, 1.08883
_EPS = 216 / 24389
_KAPPA = 24389 / 27
_RGB_TO_XYZ = [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.072175], [0.0193339, 0.119192, 0.9503041]]


def lab_split(rgb):
    """(N, 3, H, W) sRGB in [0, 1] -> luma (N, 1, H, W) = L / 100 and ab (N, 2, H, W) = (a, b) / 128,
    as training/data/degrade.ts labSplit (electron/engine/color/lab.ts srgbToLab)."""
    lin = torch.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055).clamp_min(0) ** 2.4)
    m = torch.tensor(_RGB_TO_XYZ, dtype=rgb.dtype, device=rgb.device)
    xyz = torch.einsum("kc,nchw->nkhw", m, lin)
    xyz = xyz / torch.tensor([_XN, 1.0, _ZN], dtype=rgb.dtype, device=rgb.device).view(1, 3, 1, 1)
    f = torch.where(xyz > _EPS, xyz.clamp_min(_EPS) ** (1 / 3), (_KAPPA * xyz + 16) / 116)
    fx, fy, fz = f[:, 0:1], f[:, 1:2], f[:, 2:3]
    luma = (116 * fy - 16) / 100
    ab = torch.cat([500 * (fx - fy), 200 * (fy - fz)], dim=1) / 128
    return luma, ab


def _symmetric_index(n, pad, device):
    p = 2 * n
    i = torch.arange(-pad, n + pad, device=device) % p
    return torch.where(i < n, i, p - 1 - i)


def gaussian_blur(x, sigma):
    """(N, C, H, W) blurred by a separable Gaussian, radius max(1, ceil(3 sigma)), mirrored borders
    (symmetric, as degrade.ts gaussianBlur's mirror())."""
    r = max(1, math.ceil(3 * sigma))
    k = torch.exp(-((torch.arange(-r, r + 1, device=x.device, dtype=x.dtype)) ** 2) / (2 * sigma * sigma))
    k = k / k.sum()
    N, C, H, W = x.shape
    y = x.reshape(N * C, 1, H, W)
    y = y.index_select(3, _symmetric_index(W, r, x.device))
    y = F.conv2d(y, k.view(1, 1, 1, -1))
    y = y.index_select(2, _symmetric_index(H, r, x.device))
    y = F.conv2d(y, k.view(1, 1, -1, 1))
    return y.reshape(N, C, H, W)


def old_print_luma(x, rng, gen):
    """One sample's L (1, 1, S, S) in [0, 1] made to look like an old print (colorizeSample.ts oldPrintLuma)."""
    if rng.random() < 0.5:
        lo, hi = rng.uniform(0, 0.15), rng.uniform(0.8, 1)
        x = lo + (hi - lo) * x
    if rng.random() < 0.5:
        x = gaussian_blur(x, float(rng.uniform(0.4, 1.6)))
    if rng.random() < 0.5:
        sigma = float(rng.uniform(0.01, 0.06))
        n = torch.randn(x.shape, generator=gen, device=x.device, dtype=x.dtype)
        if rng.random() < 0.5:
            s = float(rng.uniform(0.6, 1.5))
            n = gaussian_blur(n, s) * (2 * math.sqrt(math.pi) * s)
        x = (x + sigma * n).clamp(0, 1)
    return x


def _disc_offsets(r):
    ri = int(math.floor(r))
    r2 = r * r + 1e-6
    return [(dx, dy) for dy in range(-ri, ri + 1) for dx in range(-ri, ri + 1) if dx * dx + dy * dy <= r2]


DISCS = [np.array(_disc_offsets(r), dtype=np.int64).reshape(-1, 2) for r in range(4)]


def sample_points(side, rng, frame=None):
    """(x, y, radius) arrays of one sample's colour points (colorizeSample.ts sampleTrainHints)."""
    empty = np.zeros(0, dtype=np.int64)
    if rng.random() < AUTOMATIC_SHARE:
        return empty, empty, empty
    drawn = math.exp(rng.uniform(0, math.log(MAX_TRAIN_HINTS + 1)))
    if frame:
        count = min(MAX_TRAIN_HINTS, int(math.floor(drawn * side * side / (frame * frame) + rng.random())))
    else:
        count = min(MAX_TRAIN_HINTS, int(math.floor(drawn)))
    if count <= 0:
        return empty, empty, empty
    if rng.random() < 0.5:
        xy = np.clip(np.round(side / 2 + rng.standard_normal((2, count)) * side / 4), 0, side - 1).astype(np.int64)
    else:
        xy = rng.integers(side, size=(2, count))
    return xy[0], xy[1], rng.integers(4, size=count)


def render_hints(ab, points):
    """Hint planes for a batch: `points` is one (x, y, radius) triple of arrays per sample; each
    point is a disc of the 5 x 5 mean ab around it (window clipped at the border), mask 1 there."""
    N, _, H, W = ab.shape
    mean_ab = F.avg_pool2d(ab, 5, stride=1, padding=2, count_include_pad=False)
    hint_ab = torch.zeros_like(ab)
    mask = torch.zeros((N, 1, H, W), dtype=ab.dtype, device=ab.device)
    ns, ys, xs, cy, cx = [], [], [], [], []
    for n, (x, y, r) in enumerate(points):
        for k in range(len(x)):
            off = DISCS[int(r[k])]
            px, py = x[k] + off[:, 0], y[k] + off[:, 1]
            keep = (px >= 0) & (px < W) & (py >= 0) & (py < H)
            cnt = int(keep.sum())
            ns.append(np.full(cnt, n))
            xs.append(px[keep])
            ys.append(py[keep])
            cx.append(np.full(cnt, x[k]))
            cy.append(np.full(cnt, y[k]))
    if not ns:
        return hint_ab, mask
    cat = lambda parts: torch.from_numpy(np.concatenate(parts).astype(np.int64)).to(ab.device)  # noqa: E731
    n_i, y_i, x_i, cy_i, cx_i = cat(ns), cat(ys), cat(xs), cat(cy), cat(cx)
    vals = mean_ab[n_i, :, cy_i, cx_i]  # (P, 2)
    hint_ab[n_i, 0, y_i, x_i] = vals[:, 0]
    hint_ab[n_i, 1, y_i, x_i] = vals[:, 1]
    mask[n_i, 0, y_i, x_i] = 1
    return hint_ab, mask


def colorize_batch(clean, rng, gen, hint_frame=None):
    """A batch of clean sRGB crops (N, 3, S, S) in [0, 1] -> (luma, hint_ab, hint_mask, ab)."""
    luma, ab = lab_split(clean)
    side = clean.shape[-1]
    points = [sample_points(side, rng, hint_frame) for _ in range(clean.shape[0])]
    hint_ab, mask = render_hints(ab, points)
    for n in range(clean.shape[0]):
        if rng.random() < OLD_PRINT_SHARE:
            luma[n:n + 1] = old_print_luma(luma[n:n + 1], rng, gen)
    return luma.contiguous(), hint_ab, mask, ab.contiguous()


__all__ = ["colorize_batch", "gaussian_blur", "lab_split", "old_print_luma", "render_hints", "sample_points"]
