// Self-supervised denoising data from a collection of noisy photos without clean copies
// (`restore train --noisy`, issue 15). Real collections carry one scanner's or film's noise:
// spatially correlated grain and JPEG, which pixel-independent blind-spot methods (Noise2Self,
// Neighbor2Neighbor) cannot learn from, since neighbouring pixels share the noise. Instead the
// collection's own noise is transplanted:
//  1. the base denoiser runs on every photo at a strength high enough to take all of the noise
//     (the level where the residual on flat areas stops growing: `pseudoCleanLevel`), giving
//     smooth pseudo-clean photos;
//  2. the residual (photo - pseudo-clean) on the flattest blocks of each photo is that photo's
//     noise, free of image structure: those blocks form a noise bank;
//  3. training pairs are pseudo-clean crops + a random bank block (any of the 8 dihedral
//     transforms), rounded to 8 bits as the files were; the target is the pseudo-clean crop.
// The model thus learns to remove exactly this collection's noise and keep whatever structure the
// pseudo-clean photos have. A strong pseudo-clean photo has lost its fine texture, so each photo
// also gives clean sources with texture: the photo reduced 2x and 3x by area averaging (which
// averages the grain down and makes it nearly white at the new scale, what the base removes
// best), then denoised by the base at the level the white-noise estimator reads there (natural
// photos look alike across scales). Held-out photos get their own bank, so validation never sees
// a training photo's noise.
import type { Rng } from '../rng';
import type { Planar } from './degrade';
import type { TrainImage } from './images';
import { estimateNoiseSigmaPlanes } from '../../electron/engine/noiseEstimate';

/** Blocks of real noise (CHW, zero mean per channel), cut from the flattest parts of the photos. */
export interface NoiseBank { c: number; size: number; tiles: Float32Array[] }

/** Runs the base denoiser on a whole photo at a noise level (0-255 scale). */
export type DenoiseFn = (image: Planar, level: number) => Promise<Planar>;

/** Levels tried when looking for the pseudo-clean strength. */
export const PSEUDO_LEVELS = [10, 15, 20, 25, 30, 40, 50, 60, 75];
/** The residual on flat areas must reach this share of its value at the strongest level. */
const PLATEAU = 0.92;
/** Reductions giving textured clean sources (see the header); [] for pseudo-clean photos only. */
export const REDUCTIONS = [2, 3];
/** Side of the photo window used (a centre crop of larger photos: bounds the cost per photo). */
export const MAX_SIDE = 1024;
/** Share of each photo's blocks (the flattest) that go into the noise bank. */
const FLAT_SHARE = 0.3;

/** A TrainImage as CHW float in [0, 1], cut to at most MAX_SIDE x MAX_SIDE around its centre. */
export function toPlanar(img: TrainImage): Planar {
  const w = Math.min(img.width, MAX_SIDE), h = Math.min(img.height, MAX_SIDE);
  const x0 = Math.floor((img.width - w) / 2), y0 = Math.floor((img.height - h) / 2);
  const c = img.channels, inv = 1 / img.max, plane = w * h;
  const data = new Float32Array(c * plane);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const src = ((y0 + y) * img.width + x0 + x) * c;
    for (let k = 0; k < c; k++) data[k * plane + y * w + x] = (img.data[src + k] as number) * inv;
  }
  return { c, h, w, data };
}

/** A float CHW image as a 16-bit TrainImage (pseudo-clean photos keep sub-8-bit precision). */
export function toTrainImage(p: Planar, file: string): TrainImage {
  const plane = p.w * p.h;
  const data = new Uint16Array(plane * p.c);
  for (let i = 0; i < plane; i++) for (let k = 0; k < p.c; k++) {
    const v = p.data[k * plane + i] as number;
    data[i * p.c + k] = Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * 65535);
  }
  return { file, width: p.w, height: p.h, channels: p.c as 1 | 3, data, max: 65535 };
}

/** Mean squared gradient of each size x size block of an image (all channels), row-major. */
function blockActivity(p: Planar, size: number): { bx: number; by: number; act: Float64Array } {
  const bx = Math.floor(p.w / size), by = Math.floor(p.h / size);
  const act = new Float64Array(bx * by);
  const plane = p.w * p.h;
  for (let k = 0; k < p.c; k++) for (let y = 0; y < by * size; y++) for (let x = 0; x < bx * size; x++) {
    const i = k * plane + y * p.w + x;
    const gx = x + 1 < p.w ? (p.data[i + 1] as number) - (p.data[i] as number) : 0;
    const gy = y + 1 < p.h ? (p.data[i + p.w] as number) - (p.data[i] as number) : 0;
    act[Math.floor(y / size) * bx + Math.floor(x / size)]! += gx * gx + gy * gy;
  }
  return { bx, by, act };
}

/** Indices of the flattest `share` of the blocks (at least one). */
function flattestBlocks(act: Float64Array, share: number): number[] {
  const order = [...act.keys()].sort((a, b) => (act[a] as number) - (act[b] as number));
  return order.slice(0, Math.max(1, Math.round(order.length * share)));
}

/** RMS of (noisy - denoised) over the given blocks. */
function residualRms(noisy: Planar, den: Planar, blocks: number[], bx: number, size: number): number {
  let s = 0, n = 0;
  const plane = noisy.w * noisy.h;
  for (const b of blocks) {
    const x0 = (b % bx) * size, y0 = Math.floor(b / bx) * size;
    for (let k = 0; k < noisy.c; k++) for (let y = y0; y < y0 + size; y++) for (let x = x0; x < x0 + size; x++) {
      const i = k * plane + y * noisy.w + x;
      const d = (noisy.data[i] as number) - (den.data[i] as number);
      s += d * d; n++;
    }
  }
  return Math.sqrt(s / Math.max(1, n));
}

/**
 * The pseudo-clean strength for a collection: the smallest level of PSEUDO_LEVELS at which the
 * residual on flat blocks (chosen on the strongest result) reaches PLATEAU of its value at the
 * strongest level, i.e. where the denoiser has taken all the noise it can tell from the image.
 */
export async function pseudoCleanLevel(samples: Planar[], denoise: DenoiseFn, blockSize: number): Promise<{ level: number; rms: number[] }> {
  const rms = PSEUDO_LEVELS.map(() => 0);
  for (const s of samples) {
    const strongest = await denoise(s, PSEUDO_LEVELS[PSEUDO_LEVELS.length - 1]!);
    const { bx, act } = blockActivity(strongest, blockSize);
    const flat = flattestBlocks(act, FLAT_SHARE);
    for (const [k, level] of PSEUDO_LEVELS.entries()) {
      const den = k === PSEUDO_LEVELS.length - 1 ? strongest : await denoise(s, level);
      rms[k]! += residualRms(s, den, flat, bx, blockSize) / samples.length;
    }
  }
  const top = rms[rms.length - 1]!;
  const k = rms.findIndex((r) => r >= PLATEAU * top);
  return { level: PSEUDO_LEVELS[k < 0 ? rms.length - 1 : k]!, rms };
}

/** Area-averaged reduction by an integer factor (the last partial rows and columns dropped). */
export function downscale(p: Planar, k: number): Planar {
  const h = Math.floor(p.h / k), w = Math.floor(p.w / k), data = new Float32Array(p.c * h * w), inv = 1 / (k * k);
  for (let c = 0; c < p.c; c++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let a = 0;
    for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) a += p.data[(c * p.h + y * k + dy) * p.w + x * k + dx] as number;
    data[(c * h + y) * w + x] = a * inv;
  }
  return { c: p.c, h, w, data };
}

/** The photo reduced `k` times and denoised at the white-noise level estimated there. */
export async function reducedClean(image: Planar, denoise: DenoiseFn, k: number): Promise<Planar> {
  const small = downscale(image, k);
  const plane = small.w * small.h;
  const planes = Array.from({ length: small.c }, (_, c) => ({ width: small.w, height: small.h, data: small.data.slice(c * plane, (c + 1) * plane).map((v) => v * 255) }));
  const level = Math.min(75, estimateNoiseSigmaPlanes(planes, { clipped: false }));
  return level < 0.5 ? small : denoise(small, level);
}

/** Pseudo-clean photos (and their reductions) and the noise bank of their flattest blocks
 * (residuals, mean removed); `validation` holds one clean source per photo, the most textured. */
export async function transplantSource(photos: { file: string; image: Planar }[], denoise: DenoiseFn, level: number, blockSize: number, minSide = blockSize, reduce: number[] = REDUCTIONS): Promise<{ clean: TrainImage[]; validation: TrainImage[]; bank: NoiseBank }> {
  const clean: TrainImage[] = [];
  const validation: TrainImage[] = [];
  const tiles: Float32Array[] = [];
  let c = 3;
  for (const { file, image } of photos) {
    c = image.c;
    const den = await denoise(image, level);
    clean.push(toTrainImage(den, file));
    for (const k of reduce) {
      if (Math.floor(Math.min(image.w, image.h) / k) < minSide) continue;
      clean.push(toTrainImage(await reducedClean(image, denoise, k), `${file} (1/${k})`));
    }
    validation.push(clean[clean.length - 1]!);
    const { bx, act } = blockActivity(den, blockSize);
    const plane = image.w * image.h, bp = blockSize * blockSize;
    for (const b of flattestBlocks(act, FLAT_SHARE)) {
      const x0 = (b % bx) * blockSize, y0 = Math.floor(b / bx) * blockSize;
      const tile = new Float32Array(image.c * bp);
      for (let k = 0; k < image.c; k++) {
        let mean = 0;
        for (let y = 0; y < blockSize; y++) for (let x = 0; x < blockSize; x++) {
          const i = k * plane + (y0 + y) * image.w + x0 + x;
          const v = (image.data[i] as number) - (den.data[i] as number);
          tile[k * bp + y * blockSize + x] = v;
          mean += v;
        }
        mean /= bp;
        for (let j = 0; j < bp; j++) tile[k * bp + j]! -= mean;
      }
      tiles.push(tile);
    }
  }
  return { clean, validation, bank: { c, size: blockSize, tiles } };
}

/** Adds a random bank block (random window of `side`, random dihedral transform) to x (CHW). */
export function addBankNoise(x: Float32Array, side: number, bank: NoiseBank, rng: Rng): void {
  if (bank.tiles.length === 0) throw new Error('the noise bank is empty');
  if (side > bank.size) throw new Error(`patch ${side} is larger than the noise blocks (${bank.size})`);
  const tile = bank.tiles[rng.int(bank.tiles.length)]!;
  const ox = rng.int(bank.size - side + 1), oy = rng.int(bank.size - side + 1);
  const flip = rng.next() < 0.5, rot = rng.int(4);
  const plane = side * side, bp = bank.size * bank.size;
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) {
    let u = i, v = flip ? side - 1 - j : j;
    for (let r = 0; r < rot; r++) { const t = u; u = v; v = side - 1 - t; }
    const src = (oy + u) * bank.size + ox + v;
    for (let k = 0; k < bank.c; k++) x[k * plane + i * side + j]! += tile[k * bp + src] as number;
  }
}
