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
