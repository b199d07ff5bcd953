// Masks for the repair tasks. Holes for inpainting, in the spirit of LaMa's generator: free-form
// strokes in thin, medium and thick widths, boxes, thin scratches and real film-damage shapes
// (shared/data/train/damage: 8-bit opacity masks of scratches, dust, hair, lint, stains); and the
// damage layers the detector learns to find. Real damage masks are decoded once into a library
// and cropped, flipped, rotated and rescaled per sample.
import { readImage } from '../../electron/imageio';
import type { Rng } from '../rng';
import { listImages } from './images';
import { brushMask, scratchMask } from './degrade';

/** Real damage opacity masks, one plane of 0-255 each. */
export interface DamageLibrary {
  dir: string;
  masks: { width: number; height: number; data: Uint8Array }[];
}

/** Decodes every image under `dir` as an opacity mask (gray value x alpha). */
export async function loadDamageLibrary(dir: string): Promise<DamageLibrary> {
  const files = await listImages(dir);
  if (files.length === 0) throw new Error(`${dir}: no damage masks found`);
  const masks: DamageLibrary['masks'] = [];
  for (const f of files) {
    const { raster } = await readImage(f);
    const { width, height, channels, data } = raster;
    const max = raster.depth === 16 ? 65535 : 255;
    const colour = raster.hasAlpha ? channels - 1 : channels;
    const out = new Uint8Array(width * height);
    for (let p = 0; p < width * height; p++) {
      let v = 0;
      for (let c = 0; c < colour; c++) v += data[p * channels + c] as number;
      v /= colour * max;
      if (raster.hasAlpha) v *= (data[p * channels + channels - 1] as number) / max;
      out[p] = Math.round(v * 255);
    }
    masks.push({ width, height, data: out });
  }
  return { dir, masks };
}

/** A random crop of a random library mask as opacity in [0, 1] at side x side: crop of 35-100%
 * of the mask's short side (bilinear), random flips and transpose; retries for a crop with damage. */
export function damageCrop(lib: DamageLibrary, side: number, rng: Rng): Float32Array {
  const out = new Float32Array(side * side);
  for (let attempt = 0; attempt < 6; attempt++) {
    const m = lib.masks[rng.int(lib.masks.length)]!;
    const size = Math.max(8, Math.round(rng.uniform(0.35, 1) * Math.min(m.width, m.height)));
    const x0 = rng.int(m.width - size + 1), y0 = rng.int(m.height - size + 1);
    const fx = rng.next() < 0.5, fy = rng.next() < 0.5, tr = rng.next() < 0.5;
    const k = size / side;
    let any = 0;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        let u = (x + 0.5) * k - 0.5, v = (y + 0.5) * k - 0.5;
        if (tr) [u, v] = [v, u];
        if (fx) u = size - 1 - u;
        if (fy) v = size - 1 - v;
        u = Math.min(size - 1, Math.max(0, u)); v = Math.min(size - 1, Math.max(0, v));
        const ui = Math.floor(u), vi = Math.floor(v), du = u - ui, dv = v - vi;
        const at = (a: number, b: number): number => m.data[(y0 + Math.min(size - 1, b)) * m.width + x0 + Math.min(size - 1, a)] as number;
        const s = (1 - dv) * ((1 - du) * at(ui, vi) + du * at(ui + 1, vi)) + dv * ((1 - du) * at(ui, vi + 1) + du * at(ui + 1, vi + 1));
        out[y * side + x] = s / 255;
        any += s;
      }
    }
    if (any / 255 >= 4) return out;
  }
  return out;
}

/** Grows a binary mask by `r` pixels (square neighbourhood). */
export function dilate(mask: Float32Array, side: number, r: number): Float32Array {
  if (r <= 0) return mask;
  const out = new Float32Array(mask.length);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
    if (!mask[y * side + x]) continue;
    for (let yy = Math.max(0, y - r); yy <= Math.min(side - 1, y + r); yy++) {
      for (let xx = Math.max(0, x - r); xx <= Math.min(side - 1, x + r); xx++) out[yy * side + xx] = 1;
    }
  }
  return out;
}

/** Filled rectangles of 10-45% of the side each. */
export function boxMask(side: number, rng: Rng, count = 1 + rng.int(2)): Float32Array {
  const m = new Float32Array(side * side);
  for (let k = 0; k < count; k++) {
    const w = Math.round(rng.uniform(0.1, 0.45) * side), h = Math.round(rng.uniform(0.1, 0.45) * side);
    const x0 = rng.int(side - w + 1), y0 = rng.int(side - h + 1);
    for (let y = y0; y < y0 + h; y++) m.fill(1, y * side + x0, y * side + x0 + w);
  }
  return m;
}

/** The kinds of hole the inpainter trains on, with their shares. */
export const HOLE_KINDS = [
  { kind: 'thin', share: 0.2 }, { kind: 'medium', share: 0.2 }, { kind: 'thick', share: 0.12 },
  { kind: 'box', share: 0.08 }, { kind: 'scratch', share: 0.15 }, { kind: 'damage', share: 0.25 },
] as const;
export type HoleKind = (typeof HOLE_KINDS)[number]['kind'];

/** One hole mask of a kind (1 = hole). Without a library, 'damage' falls back to scratches. */
export function holeMask(kind: HoleKind, side: number, rng: Rng, lib?: DamageLibrary): Float32Array {
  switch (kind) {
    case 'thin': return brushMask(side, side, rng, 1 + rng.int(6), [0.006, 0.02]);
    case 'medium': return brushMask(side, side, rng, 1 + rng.int(4), [0.02, 0.06]);
    case 'thick': return brushMask(side, side, rng, 1 + rng.int(3), [0.06, 0.12]);
    case 'box': return boxMask(side, rng);
    case 'scratch': return scratchMask(side, side, rng);
    case 'damage': {
      if (!lib) return scratchMask(side, side, rng);
      const a = damageCrop(lib, side, rng);
      const m = new Float32Array(a.length);
      for (let i = 0; i < a.length; i++) m[i] = (a[i] as number) >= 0.2 ? 1 : 0;
      return dilate(m, side, rng.int(2));
    }
  }
}

/** A training hole: one kind by share, and on a quarter of the samples the union with a second. */
export function randomHoleMask(side: number, rng: Rng, lib?: DamageLibrary): Float32Array {
  const pick = (): HoleKind => {
    let u = rng.next();
    for (const k of HOLE_KINDS) if ((u -= k.share) < 0) return k.kind;
    return 'thin';
  };
  const m = holeMask(pick(), side, rng, lib);
  if (rng.next() < 0.25) {
    const n = holeMask(pick(), side, rng, lib);
    for (let i = 0; i < m.length; i++) m[i] = Math.max(m[i] as number, n[i] as number);
  }
  return m;
}
