"""Colour statistics behind --color-rotate (issue 4): how much of an image set's fine detail lies
in chroma rather than luma. Per image: the mean absolute horizontal + vertical difference of the
three chroma channels (RGB minus BT.601 luma), summed, divided by that of the luma; the set's mean.
  sets <folder>...       the ratio of each folder's images
  rotated <folder>       the same ratio on 80 random 96 px patches of the folder's images after a
                         Haar-random orthogonal colour transform about the patch mean (clipped), as
                         augment.ts colorRotate makes them (numpy's generator, seed 0): mean,
                         10th / 50th / 90th percentile and the fraction of values clipped
Needs python3 with numpy and Pillow.
usage: python3 training/recipes/color_stats.py sets ../shared/data/eval/McMaster ../shared/data/train/color/*
"""
import argparse
import glob
import os

import numpy as np
from PIL import Image


def load(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255


def chroma_luma_ratio(a):
    y = 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]
    hf = lambda x: np.abs(np.diff(x, axis=0)).mean() + np.abs(np.diff(x, axis=1)).mean()
    return sum(hf(a[..., k] - y) for k in range(3)) / hf(y)


def images(folder):
    return sorted(p for p in glob.glob(os.path.join(folder, "*")) if os.path.isfile(p))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["sets", "rotated"])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--patches", type=int, default=80)
    args = ap.parse_args()
    if args.mode == "sets":
        for f in args.folders:
            r = [chroma_luma_ratio(load(p)) for p in images(f)]
            print(f"{f}: {len(r)} images, chroma/luma detail ratio {np.mean(r):.2f}")
        return
    rng = np.random.default_rng(0)
    paths = images(args.folders[0])
    ratios, clipped = [], []
    for p in paths[: args.patches]:
        a = load(p)
        i, j = rng.integers(a.shape[0] - 96), rng.integers(a.shape[1] - 96)
        a = a[i:i + 96, j:j + 96]
        q, r = np.linalg.qr(rng.standard_normal((3, 3)))
        mu = a.reshape(-1, 3).mean(0)
        b = mu + (a - mu) @ (q * np.sign(np.diag(r))).T
        clipped.append(((b < 0) | (b > 1)).mean())
        ratios.append(chroma_luma_ratio(np.clip(b, 0, 1)))
    p10, p50, p90 = np.percentile(ratios, [10, 50, 90])
    print(f"{args.folders[0]}: {len(ratios)} rotated 96 px patches, chroma/luma detail ratio mean {np.mean(ratios):.2f}, "
          f"p10 {p10:.2f}, median {p50:.2f}, p90 {p90:.2f}; {100 * np.mean(clipped):.1f}% of values clipped")


if __name__ == "__main__":
    main()
