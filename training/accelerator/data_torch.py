"""Training batches on the GPU for accelerator jobs, mirroring training/data (tasks.ts, augment.ts,
degrade.ts, colorizeSample.ts via colorize_torch.py, inpainting via inpaint_torch.py, damage
detection via detect_torch.py, old-print restoration via oldprint_torch.py) for the degradations a
job may use: random crops with the eight dihedral transforms,
Gaussian noise of fixed or uniformly random sigma with its noise-level map (denoise), and
MATLAB-compatible bicubic downscaling with 8-bit rounding of the low-resolution input (upscale).
Images are decoded once (Pillow) into uint8 tensors on the device; gray models get BT.601 luma
rounded to integers, as training/data/images.ts makes it. Downscaling takes a crop with a margin
of 1.5 x scale pixels on each side and convolves without padding, so patches have no border
effects at all (the Node pipeline mirrors the patch at its border instead).
"""
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from colorize_torch import colorize_batch
from inpaint_torch import inpaint_batch, load_hole_bank
from detect_torch import damage_batch, load_damage_bank
from oldprint_torch import old_print_pair


def load_image(path, channels):
    im = Image.open(path)
    im = im.convert("RGB")
    a = np.array(im, dtype=np.uint8)
    if channels == 1:
        y = 0.299 * a[..., 0].astype(np.float64) + 0.587 * a[..., 1] + 0.114 * a[..., 2]
        a = np.floor(y + 0.5).clip(0, 255).astype(np.uint8)[..., None]
    return a


def cubic(x):
    ax = abs(x)
    if ax <= 1:
        return 1.5 * ax ** 3 - 2.5 * ax ** 2 + 1
    if ax <= 2:
        return -0.5 * ax ** 3 + 2.5 * ax ** 2 - 4 * ax + 2
    return 0.0


def downscale_kernel(s):
    """Taps of MATLAB imresize (bicubic, antialiased) for an integer factor s: output o reads input
    s*o - 3s/2 + k, k = 0..4s-1 (0-based), with these normalised weights."""
    w = [cubic((2 * s - 0.5 - k) / s) / s for k in range(4 * s)]
    t = sum(w)
    return [x / t for x in w]


def downscale_valid(x, s, levels=255):
    """x: (N, C, H, W) in [0, 1] with a margin of 3s/2 on each side; returns (N, C, (H - 3s)/s,
    (W - 3s)/s). Rows first, then columns, rounding to `levels` in between as MATLAB does for uint8
    images (98.5% of the published Set5 LR pixels are reproduced exactly, the rest within 1 except
    at the image border; without the intermediate rounding only 84%)."""
    k = torch.tensor(downscale_kernel(s), dtype=x.dtype, device=x.device)
    N, C, H, W = x.shape
    y = x.reshape(N * C, 1, H, W)
    y = F.conv2d(y, k.view(1, 1, -1, 1), stride=(s, 1))
    if levels:
        y = torch.round(y.clamp(0, 1) * levels) / levels
    y = F.conv2d(y, k.view(1, 1, 1, -1), stride=(1, s))
    return y.reshape(N, C, y.shape[2], y.shape[3])


def symmetric_pad_index(n, pad):
    idx = []
    for i in range(-pad, n + pad):
        p = 2 * n
        m = i % p
        idx.append(m if m < n else p - 1 - m)
    return idx


def imresize_down(x, s):
    """Whole-image MATLAB imresize by 1/s with symmetric borders (used to check the kernel)."""
    m = 3 * s // 2
    N, C, H, W = x.shape
    ih = torch.tensor(symmetric_pad_index(H, m), device=x.device)
    iw = torch.tensor(symmetric_pad_index(W, m), device=x.device)
    xp = x.index_select(2, ih).index_select(3, iw)
    return downscale_valid(xp, s)


PERMUTATIONS = [(0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)]


def color_augment(c, perm, gain):
    """training/data/augment.ts colorAugment on a CHW crop on the 0-255 scale: the channels in the
    order `perm`, then each pixel's distance from its luma (BT.601) scaled by `gain`, clipped."""
    c = c[list(perm)].float()
    y = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]
    return (y + gain * (c - y)).clamp_(0, 255)


def random_rotation(rng):
    """A Haar-random 3 x 3 orthogonal matrix, row-major as augment.ts randomRotation's: QR of a
    Gaussian matrix with the signs of R's diagonal fixed is Gram-Schmidt of its columns, the same
    distribution as Gram-Schmidt of Gaussian vectors there (the two generators differ, not the law)."""
    q, r = np.linalg.qr(rng.standard_normal((3, 3)))
    return (q * np.sign(np.diag(r))).T


def color_rotate(c, m):
    """training/data/augment.ts applyColorRotation on a CHW crop on the 0-255 scale: the row-major
    orthogonal matrix `m` applied to each pixel's deviation from the crop's mean colour, clipped."""
    c = c.float()
    mean = c.mean(dim=(1, 2), keepdim=True)
    mt = torch.as_tensor(np.asarray(m, dtype=np.float32).reshape(3, 3), device=c.device)
    return (mean + torch.einsum("kc,chw->khw", mt, c - mean)).clamp_(0, 255)


def _load_bank(job, key, loader, job_dir, device):
    """The bank a job's export drew (holeBank.ts, damageBank.ts), decoded onto `device`."""
    bank = job.get(key)
    if not bank:
        raise ValueError(f"{job['task']} job without its {key} (export it again with this version of restore train)")
    return loader(f"{job_dir}/{bank['file']}", int(bank["count"]), int(bank["side"]), device)


class BatchMaker:
    def __init__(self, job, data_root, device, seed, job_dir="."):
        self.job = job
        self.device = device
        self.task = job["task"]
        self.channels = job["channels"]
        self.batch = job["batch"]
        self.patch = job["patch"]
        self.scale = job.get("scale") or 1
        for k, v in job["unsupported"].items():
            if v is not None:
                raise ValueError(f"accelerator jobs do not support the {k} degradation yet (train it with restore train)")
        if self.task not in ("denoise", "upscale", "colorize", "inpaint", "detect-damage"):
            raise ValueError(f"accelerator jobs support denoise, upscale, colorize, inpaint and detect-damage, not {self.task}")
        self.holes = _load_bank(job, "holeBank", load_hole_bank, job_dir, device) if self.task == "inpaint" else None
        self.damage = _load_bank(job, "damageBank", load_damage_bank, job_dir, device) if self.task == "detect-damage" else None
        self.gray_share = float((job.get("damageMix") or {}).get("gray", 0.33))
        self.old_print = self.task == "denoise" and job.get("oldPrint") is True
        self.hint_frame = job.get("hintFrame") or None
        self.margin = (3 * self.scale) // 2 if self.task == "upscale" else 0
        self.src = self.patch * self.scale + 2 * self.margin
        self.images = []
        for rel in job["trainFiles"]:
            a = load_image(f"{data_root}/{rel}", self.channels)
            if a.shape[0] >= self.src and a.shape[1] >= self.src:
                self.images.append(torch.from_numpy(a).to(device).permute(2, 0, 1).contiguous())
        if not self.images:
            raise ValueError(f"{data_root}: no training image of at least {self.src} px")
        ca = job.get("colorAug")
        self.color_aug = None if not ca else (float(ca["fraction"]), [float(g) for g in ca["saturation"]])
        self.color_rotate = float(job.get("colorRotate") or 0)
        self.rng = np.random.default_rng(seed)
        self.gen = torch.Generator(device=device)
        self.gen.manual_seed(seed)
        self.roles = {i["role"]: i["name"] for i in job["inputs"]}
        sig = job.get("sigma")
        self.sigma = None if sig is None else (sig if isinstance(sig, list) else [sig, sig])

    def crops(self):
        out = torch.empty((self.batch, self.channels, self.src, self.src), dtype=torch.float32, device=self.device)
        s = self.src
        for b in range(self.batch):
            img = self.images[self.rng.integers(len(self.images))]
            H, W = img.shape[1], img.shape[2]
            y = int(self.rng.integers(H - s + 1))
            x = int(self.rng.integers(W - s + 1))
            c = img[:, y:y + s, x:x + s]
            if self.rng.random() < 0.5:
                c = torch.flip(c, dims=[2])
            r = int(self.rng.integers(4))
            if r:
                c = torch.rot90(c, r, dims=[1, 2])
            if self.color_aug and self.rng.random() < self.color_aug[0]:
                lo, hi = self.color_aug[1]
                c = color_augment(c, PERMUTATIONS[int(self.rng.integers(len(PERMUTATIONS)))], float(self.rng.uniform(lo, hi)))
            if self.color_rotate and self.rng.random() < self.color_rotate:
                c = color_rotate(c, random_rotation(self.rng))
            out[b].copy_(c)
        return out.mul_(1 / 255)

    def sigmas(self):
        lo, hi = self.sigma
        u = torch.rand((self.batch, 1, 1, 1), generator=self.gen, device=self.device)
        return (lo + (hi - lo) * u) / 255

    def next(self):
        clean = self.crops()
        feeds = {}
        if self.task == "colorize":
            luma, hint_ab, hint_mask, ab = colorize_batch(clean, self.rng, self.gen, self.hint_frame)
            feeds[self.roles.get("luma", "luma")] = luma
            if "hint_ab" in self.roles:
                feeds[self.roles["hint_ab"]] = hint_ab
            if "hint_mask" in self.roles:
                feeds[self.roles["hint_mask"]] = hint_mask
            return feeds, ab
        if self.task == "detect-damage":
            image, target = damage_batch(clean, self.damage, self.rng, self.gen, self.gray_share)
            feeds[self.roles.get("image", "image")] = image
            return feeds, target
        if self.task == "inpaint":
            image, mask, target = inpaint_batch(clean, self.holes, self.rng, self.gen)
            feeds[self.roles.get("image", "image")] = image
            feeds[self.roles.get("mask", "mask")] = mask
            return feeds, target
        if self.task == "denoise" and self.old_print:
            # a blind model: the noise-level input always holds the job's fixed sigma (tasks.ts)
            image, target = old_print_pair(clean, self.rng, self.gen)
            feeds[self.roles.get("image", "image")] = image
            if "noise_level" in self.roles:
                feeds[self.roles["noise_level"]] = self.sigmas().expand(self.batch, 1, self.patch, self.patch).contiguous()
            return feeds, target
        if self.task == "denoise":
            sig = self.sigmas()
            noisy = clean + sig * torch.randn(clean.shape, generator=self.gen, device=self.device)
            q = self.job.get("quantize")
            if q is True or (isinstance(q, (int, float)) and not isinstance(q, bool) and q > 0):
                frac = 1.0 if q is True else float(q)
                pick = torch.rand((self.batch, 1, 1, 1), generator=self.gen, device=self.device) < frac
                noisy = torch.where(pick, torch.round(noisy.clamp(0, 1) * 255) / 255, noisy)
            feeds[self.roles.get("image", "image")] = noisy
            if "noise_level" in self.roles:
                feeds[self.roles["noise_level"]] = sig.expand(self.batch, 1, self.patch, self.patch).contiguous()
            return feeds, clean
        m = self.margin
        hr = clean[:, :, m:m + self.patch * self.scale, m:m + self.patch * self.scale].contiguous()
        lr = downscale_valid(clean, self.scale)
        if self.sigma is not None:
            lr = lr + self.sigmas() * torch.randn(lr.shape, generator=self.gen, device=self.device)
        if self.job.get("quantize"):
            lr = torch.round(lr.clamp(0, 1) * 255) / 255
        feeds[self.roles.get("image", "image")] = lr.contiguous()
        return feeds, hr


__all__ = ["BatchMaker", "color_augment", "downscale_kernel", "downscale_valid", "imresize_down", "load_image"]
