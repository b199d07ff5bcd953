#!/usr/bin/env node
// A "noisy collection without clean copies" for the self-supervised fine-tuning check (issue 15):
// every image of a folder gets one fixed camera-like noise, RGB Gaussian noise low-pass filtered
// to about 1 px grain (a Gaussian of --grain px, then scaled back to --sd on the 0-255 scale),
// clipped and rounded to 8 bits, then saved as JPEG (--quality, 4:2:0 as cameras do). Seeded per
// file name, so the same command always writes the same files. The clean originals stay where
// they are: `restore eval --task denoise --set <clean> --inputs <noisy>` scores against them.
// Usage: node training/recipes/noisy_collection.mjs --out <dir> [--sd 20] [--grain 0.8]
//        [--quality 85] [--seed 0] <folder of clean images>
import { promises as fs } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import sharp from 'sharp';

const args = process.argv.slice(2);
const o = { out: '', sd: 20, grain: 0.8, quality: 85, seed: 0 };
let src = '';
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--out') o.out = args[++i];
  else if (a === '--sd') o.sd = Number(args[++i]);
  else if (a === '--grain') o.grain = Number(args[++i]);
  else if (a === '--quality') o.quality = Number(args[++i]);
  else if (a === '--seed') o.seed = Number(args[++i]);
  else src = a;
}
if (!o.out || !src || !(o.sd >= 0) || !(o.grain >= 0) || !(o.quality >= 1 && o.quality <= 100)) {
  process.stderr.write('usage: noisy_collection.mjs --out <dir> [--sd 20] [--grain 0.8] [--quality 85] [--seed 0] <folder>\n');
  process.exit(2);
}

/** mulberry32: small seeded generator; Box-Muller for normals. */
function normals(seed) {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

function kernel(sigma) {
  if (sigma <= 0) return [1];
  const r = Math.ceil(3 * sigma);
  const k = [];
  for (let i = -r; i <= r; i++) k.push(Math.exp(-(i * i) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  return k.map((v) => v / sum);
}

/** Separable blur of one h x w plane (reflected borders). */
function blur(plane, w, h, k) {
  const r = (k.length - 1) / 2;
  const refl = (i, n) => (i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i);
  const tmp = new Float64Array(w * h), out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let a = 0;
    for (let j = -r; j <= r; j++) a += k[j + r] * plane[y * w + refl(x + j, w)];
    tmp[y * w + x] = a;
  }
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let a = 0;
    for (let j = -r; j <= r; j++) a += k[j + r] * tmp[refl(y + j, h) * w + x];
    out[y * w + x] = a;
  }
  return out;
}

const files = (await fs.readdir(src)).filter((f) => /\.(png|jpe?g|tiff?|webp)$/i.test(f)).sort();
await fs.mkdir(o.out, { recursive: true });
const k = kernel(o.grain);
for (const f of files) {
  const { data, info } = await sharp(path.join(src, f)).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const { width: w, height: h, channels: c } = info;
  const seed = createHash('sha256').update(`${o.seed}:${f}`).digest().readUInt32BE(0);
  const next = normals(seed);
  const out = Buffer.alloc(w * h * c);
  for (let ch = 0; ch < c; ch++) {
    const white = new Float64Array(w * h);
    for (let i = 0; i < white.length; i++) white[i] = next();
    const grain = blur(white, w, h, k);
    let ss = 0;
    for (const v of grain) ss += v * v;
    const scale = o.sd / Math.sqrt(ss / grain.length);
    for (let i = 0; i < w * h; i++) {
      const v = data[i * c + ch] + scale * grain[i];
      out[i * c + ch] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  const name = `${path.parse(f).name}.jpg`;
  await sharp(out, { raw: { width: w, height: h, channels: c } }).jpeg({ quality: o.quality, chromaSubsampling: '4:2:0' }).toFile(path.join(o.out, name));
}
process.stderr.write(`wrote ${files.length} noisy images to ${o.out} (sd ${o.sd}, grain ${o.grain} px, JPEG ${o.quality})\n`);
