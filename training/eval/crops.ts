// Before/after pictures for model cards: from an evaluated image, the most textured window of the
// reference (where oversmoothing, ringing and colour shifts show first) cut out of the reference,
// the degraded input and each output, side by side in one 8-bit PNG (gray panels replicated to
// RGB; low-resolution inputs enlarged by pixel replication so every panel has the same size).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Planar } from '../data/degrade';

export interface Panel { label: string; image: Planar }

/** Top-left corner of the size x size window with the most gradient energy (searched on a grid). */
export function texturedWindow(ref: Planar, size: number, stride = 8): { x: number; y: number } {
  const { h, w, data } = ref;
  const s = Math.min(size, h, w);
  // Gradient energy of the first channel, then a summed-area table for O(1) window sums.
  const sat = new Float64Array((h + 1) * (w + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      const v = data[y * w + x] as number;
      const gx = x + 1 < w ? (data[y * w + x + 1] as number) - v : 0;
      const gy = y + 1 < h ? (data[(y + 1) * w + x] as number) - v : 0;
      row += gx * gx + gy * gy;
      sat[(y + 1) * (w + 1) + x + 1] = (sat[y * (w + 1) + x + 1] as number) + row;
    }
  }
  const sum = (x: number, y: number): number =>
    (sat[(y + s) * (w + 1) + x + s] as number) - (sat[y * (w + 1) + x + s] as number) - (sat[(y + s) * (w + 1) + x] as number) + (sat[y * (w + 1) + x] as number);
  let best = { x: 0, y: 0 }, bestE = -1;
  for (let y = 0; y + s <= h; y += stride) {
    for (let x = 0; x + s <= w; x += stride) {
      const e = sum(x, y);
      if (e > bestE) { bestE = e; best = { x, y }; }
    }
  }
  return best;
}

/** A window of a CHW image. */
export function cropPlanar(p: Planar, x: number, y: number, cw: number, ch: number): Planar {
  const out = new Float32Array(p.c * cw * ch);
  for (let k = 0; k < p.c; k++) {
    for (let i = 0; i < ch; i++) {
      const src = k * p.h * p.w + (y + i) * p.w + x;
      out.set(p.data.subarray(src, src + cw), k * cw * ch + i * cw);
    }
  }
  return { c: p.c, h: ch, w: cw, data: out };
}

/** Pixel replication by an integer factor (shows low-resolution inputs at the output's size). */
export function enlarge(p: Planar, s: number): Planar {
  if (s === 1) return p;
  const H = p.h * s, W = p.w * s, out = new Float32Array(p.c * H * W);
  for (let k = 0; k < p.c; k++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) out[k * H * W + y * W + x] = p.data[k * p.h * p.w + Math.floor(y / s) * p.w + Math.floor(x / s)] as number;
    }
  }
  return { c: p.c, h: H, w: W, data: out };
}

/** Writes the panels left to right with a white gap as one RGB PNG. */
export async function writePanels(file: string, panels: Panel[], gap = 4): Promise<void> {
  if (panels.length === 0) throw new Error(`${file}: no panels to write`);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const h = (panels[0] as Panel).image.h;
  for (const p of panels) if (p.image.h !== h) throw new Error(`${file}: panel "${p.label}" is ${p.image.h} px high, expected ${h}`);
  const W = panels.reduce((a, p) => a + p.image.w, 0) + gap * (panels.length - 1);
  const buf = Buffer.alloc(W * h * 3, 255);
  let x0 = 0;
  for (const { image: p } of panels) {
    const n = p.h * p.w;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < p.w; x++) {
        for (let k = 0; k < 3; k++) {
          const v = p.data[(p.c === 1 ? 0 : k) * n + y * p.w + x] as number;
          buf[(y * W + x0 + x) * 3 + k] = Math.round(Math.min(1, Math.max(0, v)) * 255);
        }
      }
    }
    x0 += p.w + gap;
  }
  await sharp(buf, { raw: { width: W, height: h, channels: 3 } }).png({ compressionLevel: 9 }).toFile(file);
}

/** One comparison picture: the textured window (side `size`, in reference pixels) of every panel. */
export async function writeComparison(file: string, reference: Planar, others: Panel[], size = 160, lowResScale = 1): Promise<{ x: number; y: number; size: number }> {
  const s = Math.min(size, reference.h, reference.w);
  const { x, y } = texturedWindow(reference, s);
  const cut = (p: Planar, scale: number): Planar => (scale === 1 ? cropPlanar(p, x, y, s, s) : enlarge(cropPlanar(p, Math.floor(x / scale), Math.floor(y / scale), Math.floor(s / scale), Math.floor(s / scale)), scale));
  const panels: Panel[] = [{ label: 'reference', image: cut(reference, 1) }];
  for (const o of others) {
    const scale = o.image.h === reference.h ? 1 : lowResScale;
    panels.push({ label: o.label, image: cut(o.image, scale) });
  }
  await writePanels(file, panels);
  return { x, y, size: s };
}
