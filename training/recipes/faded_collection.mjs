#!/usr/bin/env node
// A colour collection with a look of its own, for the colourization fine-tuning check (issue 15):
// a family's colour prints from one lab and era have faded alike (the cyan dye of chromogenic
// prints fades first: reds gain, blues weaken, blacks lift), and colourizing the family's
// black-and-white photos to match them is what a colourizer fine-tune is for. Every image of a
// folder gets the same fade: an RGB mix that reddens and weakens blue, then a lift of the blacks
// (sharp recomb + linear, 8-bit PNG out). The originals stay where they are.
// Usage: node training/recipes/faded_collection.mjs --out <dir> <folder of colour photos>
import { promises as fs } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import sharp from 'sharp';

const args = process.argv.slice(2);
let out = '';
let src = '';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = args[++i];
  else src = args[i];
}
if (!out || !src) {
  process.stderr.write('usage: faded_collection.mjs --out <dir> <folder of colour photos>\n');
  process.exit(2);
}

/** Rows: output R, G, B as mixes of input R, G, B (0-255); then + LIFT. */
const FADE = [
  [0.9, 0.1, 0.02],
  [0.04, 0.84, 0.04],
  [0.02, 0.1, 0.7],
];
const LIFT = [22, 10, 8];

const files = (await fs.readdir(src)).filter((f) => /\.(png|jpe?g|tiff?|webp|bmp)$/i.test(f)).sort();
await fs.mkdir(out, { recursive: true });
for (const f of files) {
  const dst = path.join(out, `${path.parse(f).name}.png`);
  await sharp(path.join(src, f)).removeAlpha().toColourspace('srgb').recomb(FADE).linear([1, 1, 1], LIFT).png().toFile(dst);
}
process.stderr.write(`faded_collection: ${files.length} photos -> ${out}\n`);
