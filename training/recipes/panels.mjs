#!/usr/bin/env node
// Before/after pictures for model cards: for each file name, the same-named image from every
// given folder side by side (e.g. the old print, the damage found, the repaired print), each
// scaled to one height (or cut to one window at 1:1 with --crop), written as one PNG per name.
// Usage: node training/recipes/panels.mjs --out <dir> --prefix <name> [--height 256 | --crop x,y,w,h]
//        <folder> <folder>... [-- names...]   (default names: the files of the last folder)
import { promises as fs } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import sharp from 'sharp';

const args = process.argv.slice(2);
const opts = { out: '', prefix: 'picture', height: 256, crop: null };
const dirs = [];
let names = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--') { names = args.slice(i + 1); break; }
  if (a === '--out') opts.out = args[++i];
  else if (a === '--prefix') opts.prefix = args[++i];
  else if (a === '--height') opts.height = Number(args[++i]);
  else if (a === '--crop') opts.crop = args[++i].split(',').map(Number);
  else dirs.push(a);
}
if (!opts.out || dirs.length < 2) {
  process.stderr.write('usage: panels.mjs --out <dir> --prefix <name> [--height H | --crop x,y,w,h] <folder> <folder>... [-- names...]\n');
  process.exit(2);
}
const files = names.length > 0 ? names : (await fs.readdir(dirs[dirs.length - 1])).filter((f) => /\.(png|jpe?g|tiff?|webp)$/i.test(f)).sort();
await fs.mkdir(opts.out, { recursive: true });
for (const f of files) {
  const panels = await Promise.all(dirs.map((d) => {
    let img = sharp(path.join(d, f));
    if (opts.crop) { const [left, top, width, height] = opts.crop; img = img.extract({ left, top, width, height }); } else img = img.resize({ height: opts.height });
    return img.removeAlpha().toColourspace('srgb').png().toBuffer({ resolveWithObject: true });
  }));
  const gap = 4;
  const height = Math.max(...panels.map((p) => p.info.height));
  const width = panels.reduce((a, p) => a + p.info.width, 0) + gap * (panels.length - 1);
  let x = 0;
  const composite = panels.map((p) => {
    const c = { input: p.data, left: x, top: 0 };
    x += p.info.width + gap;
    return c;
  });
  const out = path.join(opts.out, `${opts.prefix}-${path.parse(f).name}.png`);
  await sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).composite(composite).png({ compressionLevel: 9 }).toFile(out);
  process.stdout.write(`${out}\n`);
}
