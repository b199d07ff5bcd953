"""Checks on degraded inputs behind the robust models' cards (not published protocols):
  sr --scale S --models a,b   Set5/Set14 xS LR with Gaussian noise sigma 5 (seed 0) saved as JPEG q75,
                              upscaled by `restore upscale`; Y-PSNR against HR (border S; the two
                              gray Set14 images on the mean of RGB)
  denoise --models a,b        the first 12 CBSD68 images with Gaussian noise sigma 20 (seed 0) saved
                              as JPEG q75, denoised by `restore denoise --sigma auto`; RGB PSNR
                              (--sigma N and --quality Q change the noise and the JPEG quality;
                              --gray makes the photos gray first, PSNR on gray)
  a model named "default" runs without --model: what the engine picks for the file; a model may
  be an id or an .onnx file with its manifest.json beside it
Needs python3 with numpy and Pillow, and a built checkout (npm run build).
usage: python3 training/recipes/degraded_check.py sr --scale 4 --models upscale-x4,upscale-x4-robust
"""
import argparse
import os
import subprocess
import tempfile

import numpy as np
from PIL import Image

EVAL = os.environ.get("EVAL", "/work/shared/data/eval")
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def degrade(src, dst, sigma, rng, quality=75, gray=False):
    a = np.asarray(Image.open(src).convert("L" if gray else "RGB")).astype(float)
    n = np.clip(np.round(a + sigma * rng.standard_normal(a.shape)), 0, 255).astype(np.uint8)
    Image.fromarray(n).save(dst, quality=quality)


def psnr(a, b):
    return 10 * np.log10(255 ** 2 / ((a - b) ** 2).mean())


def y_of(img, gray):
    a = np.asarray(img.convert("RGB")).astype(float)
    return a.mean(2) if gray else 16 + (65.481 * a[..., 0] + 128.553 * a[..., 1] + 24.966 * a[..., 2]) / 255


def restore(cmd, src, out, model, extra):
    chosen = [] if model == "default" else ["--model", model]
    subprocess.run(["node", os.path.join(REPO, "bin", "restore.js"), cmd, src, "-o", out, *chosen, "--format", "png", *extra],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("task", choices=["sr", "denoise"])
    ap.add_argument("--scale", type=int, default=4)
    ap.add_argument("--models", required=True)
    ap.add_argument("--sigma", type=float, default=20)
    ap.add_argument("--quality", type=int, default=75)
    ap.add_argument("--gray", action="store_true")
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    tmp = tempfile.mkdtemp(prefix="degraded-check-")
    lr_dir = os.path.join(tmp, "in")
    os.mkdir(lr_dir)
    refs = {}
    if a.task == "sr":
        for s in ["Set5", "Set14"]:
            d = f"{EVAL}/sr/{s}/x{a.scale}"
            for f in sorted(os.listdir(f"{d}/LR")):
                stem = f"{s}-{f[:-4]}"
                degrade(f"{d}/LR/{f}", f"{lr_dir}/{stem}.jpg", 5, rng)
                refs[stem] = (s, f"{d}/HR/{f}")
    else:
        d = f"{EVAL}/CBSD68"
        for f in sorted(os.listdir(d))[:12]:
            degrade(f"{d}/{f}", f"{lr_dir}/{f[:-4]}.jpg", a.sigma, rng, a.quality, a.gray)
            refs[f[:-4]] = ("CBSD68", f"{d}/{f}")
    for i, model in enumerate(a.models.split(",")):
        out = os.path.join(tmp, f"out-{i}")  # a model may be a file path: never a folder named after it
        if a.task == "sr":
            restore("upscale", lr_dir, out, model, ["--scale", str(a.scale)])
        else:
            restore("denoise", lr_dir, out, model, ["--sigma", "auto"])
        scores = {}
        for stem, (s, ref) in refs.items():
            hr = Image.open(ref)
            o = Image.open(f"{out}/{stem}.png")
            if a.task == "sr":
                gray = hr.mode in ("L", "LA")
                b = a.scale
                v = psnr(y_of(hr, gray)[b:-b, b:-b], y_of(o, gray)[b:-b, b:-b])
            else:
                mode = "L" if a.gray else "RGB"
                v = psnr(np.asarray(hr.convert(mode)).astype(float), np.asarray(o.convert(mode)).astype(float))
            scores.setdefault(s, []).append(v)
        print(model, {s: round(float(np.mean(v)), 2) for s, v in scores.items()}, flush=True)
    if a.task == "denoise":
        mode = "L" if a.gray else "RGB"
        noisy = [psnr(np.asarray(Image.open(ref).convert(mode)).astype(float), np.asarray(Image.open(f"{lr_dir}/{stem}.jpg").convert(mode)).astype(float))
                 for stem, (_, ref) in refs.items()]
        print("noisy input", round(float(np.mean(noisy)), 2))


if __name__ == "__main__":
    main()
