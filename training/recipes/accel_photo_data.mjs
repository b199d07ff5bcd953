// A photo folder (e.g. the colourizer's mix gathered by lib.sh's recipe_photo_data), recursively,
// made small enough to travel to an accelerator machine (64 MiB with the job): every
// photo at least `min` px on its short side, scaled down so its long side is at most `long` px
// (never below `min` on the short side), as WebP of the given quality. The colourizer works on
// photos shrunk to a 512-px working size, so crops of such copies match what it sees in use.
// Usage: node training/recipes/accel_photo_data.mjs <photo folder> <out dir> [long=512] [min=256] [quality=80]
// (the same relative paths under <out dir>, each as .webp)
import { promises as fs } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import sharp from 'sharp';

const [src, out, longArg, minArg, qArg] = process.argv.slice(2);
if (!src || !out) {
  process.stderr.write('usage: accel_photo_data.mjs <photo folder> <out dir> [long] [min] [quality]\n');
  process.exit(2);
}
const long = Number(longArg ?? 512), min = Number(minArg ?? 256), quality = Number(qArg ?? 80);
/** Image files under `dir`, recursively, sorted (links followed, as the recipes' hard-link folders). */
async function listFiles(dir) {
  const out = [];
  for (const e of (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (/\.(jpe?g|png|bmp|tiff?|webp)$/i.test(e.name)) out.push(p);
  }
  return out;
}

let kept = 0, skipped = 0, bytes = 0;
for (const file of await listFiles(src)) {
  const meta = await sharp(file).metadata();
  const w = meta.width ?? 0, h = meta.height ?? 0;
  if (Math.min(w, h) < min) { skipped++; continue; }
  const k = Math.min(1, Math.max(long / Math.max(w, h), min / Math.min(w, h)));
  const dst = path.join(out, path.relative(src, file)).replace(/\.[^./]+$/, '.webp');
  await fs.mkdir(path.dirname(dst), { recursive: true });
  const info = await sharp(file).rotate().removeAlpha().toColourspace('srgb')
    .resize(Math.round(w * k), Math.round(h * k), { kernel: 'lanczos3' })
    .webp({ quality, effort: 6 }).toFile(dst);
  kept++;
  bytes += info.size;
}
process.stdout.write(`${kept} photos (${skipped} under ${min} px left out), ${(bytes / 2 ** 20).toFixed(1)} MiB in ${out}\n`);
