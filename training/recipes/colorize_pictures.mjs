#!/usr/bin/env node
// Before/after pictures of real old prints for the colorize model card: each gray input beside its
// colourization (restore colorize output), both scaled to one height, written as one PNG per print.
// Usage: node training/recipes/colorize_pictures.mjs <inputs dir> <colourized dir> <out dir> [height=256] [names...]
import { promises as fs } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import sharp from 'sharp';

const [inDir, colDir, outDir, heightArg = '256', ...names] = process.argv.slice(2);
if (!inDir || !colDir || !outDir) {
  process.stderr.write('usage: colorize_pictures.mjs <inputs dir> <colourized dir> <out dir> [height] [names...]\n');
  process.exit(2);
}
const height = Number(heightArg);
const files = names.length > 0 ? names : (await fs.readdir(colDir)).filter((f) => /\.(png|jpe?g|tiff?|webp)$/i.test(f)).sort();
await fs.mkdir(outDir, { recursive: true });
for (const f of files) {
  const panels = await Promise.all([path.join(inDir, f), path.join(colDir, f)].map((p) => sharp(p).resize({ height }).removeAlpha().toColourspace('srgb').png().toBuffer({ resolveWithObject: true })));
  const gap = 4;
  const width = panels.reduce((a, p) => a + p.info.width, 0) + gap;
  let x = 0;
  const composite = panels.map((p) => {
    const c = { input: p.data, left: x, top: 0 };
    x += p.info.width + gap;
    return c;
  });
  const out = path.join(outDir, `colorize-LoC-${path.parse(f).name}.png`);
  await sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).composite(composite).png({ compressionLevel: 9 }).toFile(out);
  process.stdout.write(`${out}\n`);
}
