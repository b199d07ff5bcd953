// Pictures a training run shows its user: a held-out photo's window as panels side by side (the
// input the model gets, the base model's output, the model in training, and the reference when
// there is one), written as one PNG. The app refreshes its before/after preview from these after
// each validation, and the result card shows one per held-out photo. Panels are CHW float in
// [0, 1] (clipped), of one height; upscale inputs are shown with their pixels repeated.
import sharp from 'sharp';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Planar } from './data/degrade';

const GAP = 4;

function repeatPixels(p: Planar, f: number): Planar {
  if (f === 1) return p;
  const h = p.h * f, w = p.w * f, data = new Float32Array(p.c * h * w);
  for (let k = 0; k < p.c; k++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    data[(k * h + y) * w + x] = p.data[(k * p.h + Math.floor(y / f)) * p.w + Math.floor(x / f)] as number;
  }
  return { c: p.c, h, w, data };
}

/** Writes the panels side by side (gray panels shown as gray, a white gap between) to `file`. */
export async function writePanels(file: string, panels: Planar[]): Promise<void> {
  const height = Math.max(...panels.map((p) => p.h));
  const shown = panels.map((p) => repeatPixels(p, Math.max(1, Math.round(height / p.h))));
  const width = shown.reduce((a, p) => a + p.w, 0) + GAP * (shown.length - 1);
  const out = Buffer.alloc(width * height * 3, 255);
  let x0 = 0;
  for (const p of shown) {
    const plane = p.w * p.h;
    for (let y = 0; y < p.h; y++) for (let x = 0; x < p.w; x++) {
      for (let k = 0; k < 3; k++) {
        const v = p.data[(p.c === 1 ? 0 : k) * plane + y * p.w + x] as number;
        out[(y * width + x0 + x) * 3 + k] = Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * 255);
      }
    }
    x0 += p.w + GAP;
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp.png`;
  await sharp(out, { raw: { width, height, channels: 3 } }).png().toFile(tmp);
  await fs.rename(tmp, file);
}
