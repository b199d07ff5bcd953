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

/**
 * Colour rotation of a clean RGB CHW patch, in place: a uniformly (Haar) random orthogonal 3 x 3
 * matrix applied to each pixel's deviation from the patch's mean colour, clipped to [0, 1]. White
 * Gaussian noise is isotropic in RGB, so an orthogonal colour transform is a symmetry of the
 * degradation: the denoising problem stays the same while the image structure, which in photographs
 * lies mostly along the grey (luma) axis, moves into the chroma directions. McMaster-like images
 * carry several times more chroma detail relative to luma than the training photographs (ratio of
 * chroma to luma mean absolute gradient about 1.5 there against 0.3-0.8 in train/color; rotated
 * 96 px BSDS400 patches: median 3.7, 10th-90th percentile 1.3-14; training/recipes/color_stats.py);
 * permutations and saturation gains alone cannot reach that.
 */
export function colorRotate(x: Float32Array, plane: number, rng: Rng): void {
  if (x.length !== 3 * plane) throw new Error(`colorRotate needs an RGB patch (3 x ${plane} values), got ${x.length}`);
  applyColorRotation(x, plane, randomRotation(rng));
}

/** A Haar-random 3 x 3 orthogonal matrix (row-major): Gram-Schmidt of three Gaussian vectors. */
export function randomRotation(rng: Rng): number[] {
  const rows: number[][] = [];
  while (rows.length < 3) {
    const v = [rng.normal(), rng.normal(), rng.normal()];
    for (const r of rows) {
      const d = v[0]! * r[0]! + v[1]! * r[1]! + v[2]! * r[2]!;
      for (let k = 0; k < 3; k++) v[k] = v[k]! - d * r[k]!;
    }
    const n = Math.hypot(v[0]!, v[1]!, v[2]!);
    if (n > 1e-6) rows.push(v.map((e) => e / n));
  }
  return rows.flat();
}

/** colorRotate's transform with its matrix given (row-major; output channel k = row k . deviation). */
export function applyColorRotation(x: Float32Array, plane: number, m: readonly number[]): void {
  const mean = [0, 1, 2].map((k) => { let s = 0; for (let i = 0; i < plane; i++) s += x[k * plane + i] as number; return s / plane; });
  const clip = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
  for (let i = 0; i < plane; i++) {
    const r = (x[i] as number) - mean[0]!, g = (x[plane + i] as number) - mean[1]!, b = (x[2 * plane + i] as number) - mean[2]!;
    for (let k = 0; k < 3; k++) x[k * plane + i] = clip(mean[k]! + m[3 * k]! * r + m[3 * k + 1]! * g + m[3 * k + 2]! * b);
  }
}
