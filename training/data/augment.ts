// Random crops with the eight dihedral transforms (horizontal flip x 90-degree rotations), from an
// integer HWC image into a float CHW patch in [0, 1].
import type { Rng } from '../rng';
import type { TrainImage } from './images';

export interface CropSpec { x: number; y: number; size: number; flip: boolean; rot: number }

/** A uniformly random crop position and transform. */
export function randomCrop(rng: Rng, img: TrainImage, size: number, augment = true): CropSpec {
  return {
    x: rng.int(img.width - size + 1),
    y: rng.int(img.height - size + 1),
    size,
    flip: augment ? rng.next() < 0.5 : false,
    rot: augment ? rng.int(4) : 0,
  };
}

/** Centre crop, no transform (validation). */
export function centerCrop(img: TrainImage, size: number): CropSpec {
  return { x: Math.floor((img.width - size) / 2), y: Math.floor((img.height - size) / 2), size, flip: false, rot: 0 };
}

/** Writes the crop as CHW float32 into `out` at `offset` (out must hold channels * size^2). */
export function extractCrop(img: TrainImage, c: CropSpec, out: Float32Array, offset = 0): void {
  const s = c.size, ch = img.channels, inv = 1 / img.max, plane = s * s;
  for (let i = 0; i < s; i++) {
    for (let j = 0; j < s; j++) {
      let u = i, v = c.flip ? s - 1 - j : j;
      for (let r = 0; r < c.rot; r++) { const t = u; u = v; v = s - 1 - t; }
      const src = ((c.y + u) * img.width + (c.x + v)) * ch;
      const dst = offset + i * s + j;
      for (let k = 0; k < ch; k++) out[dst + k * plane] = (img.data[src + k] as number) * inv;
    }
  }
}

/** Saturation gains of colorAugment: from unchanged to twice as far from grey. */
export const COLOR_AUG_SATURATION: [number, number] = [1, 2];

/**
 * Colour augmentation of a clean RGB CHW patch, in place: a uniformly random permutation of the
 * channels, then a saturation gain drawn from COLOR_AUG_SATURATION (each pixel's distance from its
 * luma, BT.601 weights, scaled by the gain and clipped to [0, 1]). Label-preserving for noise
 * added afterwards that does not depend on colour (Gaussian); it widens the colour statistics of
 * the training photographs (mostly muted, correlated channels) towards saturated, decorrelated
 * colour, which a denoiser otherwise meets only at test time.
 */
export function colorAugment(x: Float32Array, plane: number, rng: Rng): void {
  if (x.length !== 3 * plane) throw new Error(`colorAugment needs an RGB patch (3 x ${plane} values), got ${x.length}`);
  const perm = COLOR_PERMUTATIONS[rng.int(COLOR_PERMUTATIONS.length)] as [number, number, number];
  applyColorTransform(x, plane, perm, rng.uniform(COLOR_AUG_SATURATION[0], COLOR_AUG_SATURATION[1]));
}

/** colorAugment's transform with its draws given: output channel k is input channel perm[k]. */
export function applyColorTransform(x: Float32Array, plane: number, perm: readonly [number, number, number], gain: number): void {
  const src = Float32Array.from(x);
  const clip = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
  for (let i = 0; i < plane; i++) {
    const r = src[perm[0] * plane + i] as number, g = src[perm[1] * plane + i] as number, b = src[perm[2] * plane + i] as number;
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    x[i] = clip(y + gain * (r - y));
    x[plane + i] = clip(y + gain * (g - y));
    x[2 * plane + i] = clip(y + gain * (b - y));
  }
}

export const COLOR_PERMUTATIONS = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] as const;
