#!/usr/bin/env python3
"""Classic inpainting baselines on the masks `restore eval --task inpaint --masks DIR` wrote.

For every <image>-<band>-mask.png / -input.png pair in DIR (holes white in the input), runs OpenCV
Telea and Navier-Stokes (cv2.inpaint, radius 3), and prints the mean RGB PSNR per set band against
the reference images in SET, the same number restore eval reports for the model.
Usage: python3 training/recipes/inpaint_baselines.py DIR SET   (needs opencv-python-headless, numpy)
"""
import glob
import os
import re
import sys

import cv2
import numpy as np


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 10 * np.log10(255.0 ** 2 / max(mse, 1e-12))


def main(masks_dir, set_dir):
    refs = {os.path.splitext(os.path.basename(f))[0]: f for f in glob.glob(os.path.join(set_dir, '*'))}
    rows = {}
    for mask_file in sorted(glob.glob(os.path.join(masks_dir, '*-mask.png'))):
        stem = os.path.basename(mask_file)[: -len('-mask.png')]
        name, band = re.match(r'^(.*)-(\d+-\d+pct)$', stem).groups()
        ref = cv2.imread(refs[name], cv2.IMREAD_COLOR)
        holed = cv2.imread(os.path.join(masks_dir, stem + '-input.png'), cv2.IMREAD_COLOR)
        mask = (cv2.imread(mask_file, cv2.IMREAD_GRAYSCALE) > 127).astype(np.uint8) * 255
        for method, flag in (('OpenCV Telea', cv2.INPAINT_TELEA), ('OpenCV Navier-Stokes', cv2.INPAINT_NS)):
            out = cv2.inpaint(holed, mask, 3, flag)
            rows.setdefault((band, method), []).append(psnr(out, ref))
    for (band, method), scores in sorted(rows.items()):
        print(f"{os.path.basename(set_dir):10} {band.replace('pct', '%'):8} {method:22} {np.mean(scores):6.2f}  ({len(scores)} images)")


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
