// The colourizer's photo mix (recipe_photo_data: ImageNet1k scenes, AllAgeFaces portraits, all of
// train/color) made small enough to travel to an accelerator machine (64 MiB with the job): every
// photo at least `min` px on its short side, scaled down so its long side is at most `long` px
// (never below `min` on the short side), as WebP of the given quality. The colourizer works on
// photos shrunk to a 512-px working size, so crops of such copies match what it sees in use.
// Usage: node training/recipes/accel_photo_data.mjs <shared/data/train> <out dir> [long=512] [min=256] [quality=80]
import { promises as fs } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import sharp from 'sharp';

const [src, out, longArg, minArg, qArg] = process.argv.slice(2);
if (!src || !out) {
  process.stderr.write('usage: accel_photo_data.mjs <train dir> <out dir> [long] [min] [quality]\n');
  process.exit(2);
}
const long = Number(longArg ?? 512), min = Number(minArg ?? 256), quality = Number(qArg ?? 80);
const folders = ['scenes/ImageNet1k', 'faces/AllAgeFaces', 'color/BSDS400', 'color/T91', 'color/SunHays80', 'color/LIVE1'];
let kept = 0, skipped = 0, bytes = 0;
for (const f of folders) {
  const dir = path.join(src, f);
  await fs.mkdir(path.join(out, f), { recursive: true });
  for (const name of (await fs.readdir(dir)).sort()) {
    const file = path.join(dir, name);
    const meta = await sharp(file).metadata();
    const w = meta.width ?? 0, h = meta.height ?? 0;
    if (Math.min(w, h) < min) { skipped++; continue; }
    const k = Math.min(1, Math.max(long / Math.max(w, h), min / Math.min(w, h)));
    const dst = path.join(out, f, name.replace(/\.[^.]+$/, '.webp'));
    const info = await sharp(file).rotate().removeAlpha().toColourspace('srgb')
      .resize(Math.round(w * k), Math.round(h * k), { kernel: 'lanczos3' })
      .webp({ quality, effort: 6 }).toFile(dst);
    kept++;
    bytes += info.size;
  }
}
process.stdout.write(`${kept} photos (${skipped} under ${min} px left out), ${(bytes / 2 ** 20).toFixed(1)} MiB in ${out}\n`);
