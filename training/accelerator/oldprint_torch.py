"""Old-print restoration pairs on the GPU for accelerator denoise jobs exported with --old-print,
mirroring training/data/oldPrint.ts oldPrintPair: the target is the clean crop (colour models: made
gray on half, a third of those sepia- or cool-toned), the input that target as a scan of an old
print shows it: a Gaussian blur of 0.3-1.3 px (70%), a printing screen of pitch 3-7 px at any angle
(20%), film grain of strength 0.015-0.1 weighted to the mid-tones, correlated (0.6-2 px) on three
quarters (85%), then a JPEG round trip of quality 40-92 (a third; Pillow on the host, 4:2:0) and
8-bit rounding. Same laws as the Node pipeline, another generator.
"""
import math

import torch

from colorize_torch import gaussian_blur
from detect_torch import jpeg_round_trip
from inpaint_torch import grain_plane, print_tone, to_gray


def add_screen(x, pitch, angle, amp):
    """(1, C, H, W): a dot pattern cos(k u) cos(k v) in coordinates turned by `angle`, amplitude
    `amp` times 4 t (1 - t) of each value t, clipped (oldPrint.ts addScreen)."""
    _, _, H, W = x.shape
    ys = torch.arange(H, device=x.device, dtype=torch.float64).view(H, 1)
    xs = torch.arange(W, device=x.device, dtype=torch.float64).view(1, W)
    c, s, k = math.cos(angle), math.sin(angle), 2 * math.pi / pitch
    dot = (torch.cos(k * (xs * c + ys * s)) * torch.cos(k * (-xs * s + ys * c))).to(x.dtype)
    return (x + amp * dot * 4 * x * (1 - x)).clamp(0, 1)


def apply_tone_grain(x, n, sigma):
    """(1, C, H, W) plus `sigma` x the grain plane n (1, 1, H, W), weighted by 0.4 + 2.4 t (1 - t) of
    the channel mean t, clipped (oldPrint.ts applyToneGrain)."""
    t = x.mean(dim=1, keepdim=True)
    return (x + sigma * (0.4 + 2.4 * t * (1 - t)) * n).clamp(0, 1)


def old_print_pair(clean, rng, gen):
    """A batch of clean crops (N, C, S, S) in [0, 1] -> (8-bit degraded input, target)."""
    N, C, H, W = clean.shape
    target = clean.clone()
    image = torch.empty_like(clean)
    for n in range(N):
        t = target[n:n + 1]
        if C == 3 and rng.random() < 0.5:
            t = to_gray(t)
            if rng.random() < 0.33:
                strength, warm = rng.uniform(0.3, 1), rng.random() < 0.8
                t = t * torch.tensor(print_tone(strength, warm), dtype=t.dtype, device=t.device).view(1, 3, 1, 1)
            target[n:n + 1] = t
        x = t
        if rng.random() < 0.7:
            x = gaussian_blur(x, float(rng.uniform(0.3, 1.3)))
        if rng.random() < 0.2:
            x = add_screen(x, rng.uniform(3, 7), rng.uniform(0, math.pi / 2), rng.uniform(0.03, 0.15))
        if rng.random() < 0.85:
            sigma = rng.uniform(0.015, 0.1)
            correlated, s = rng.random() < 0.75, float(rng.uniform(0.6, 2))
            x = apply_tone_grain(x, grain_plane(H, W, gen, correlated, s, x.device, x.dtype), sigma)
        if rng.random() < 0.33:
            x = jpeg_round_trip(x, round(rng.uniform(40, 92)))
        image[n:n + 1] = torch.round(x.clamp(0, 1) * 255) / 255
    return image.contiguous(), target.contiguous()


__all__ = ["add_screen", "apply_tone_grain", "old_print_pair"]
