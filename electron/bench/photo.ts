// Deterministic photo-like test images for the benchmark rows that run whole files (infer-12mp,
// upscale-*): a lit gradient "sky/ground", fractal value-noise texture (foliage, fabric), dozens of
// overlapping anti-aliased ellipses and rectangles with their own colour and texture (objects
// with edges at every orientation), and a band of fine stripes (high-frequency detail), in 8-bit
// RGB (or its luma). Random bytes are not photo-like: they compress and denoise differently. Seeded (training's
// xoshiro Rng), so every run measures the same pixels; written as PNG by writePhotoPng, cached
// per bench run by photoFile.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Rng } from '../../training/rng';

export interface Photo {
  width: number;
  height: number;
  /** 3 (RGB, interleaved) or 1 (gray). */
  channels: 1 | 3;
  data: Uint8Array;
}

/** Fractal value noise in about [-1, 1]: octaves of bilinearly interpolated random lattices. */
function valueNoise(width: number, height: number, rng: Rng, coarsestCell: number, octaves: number): Float32Array {
  const out = new Float32Array(width * height);
  let cell = coarsestCell;
  let amplitude = 0.55;
  for (let o = 0; o < octaves && cell >= 2; o++, cell /= 2, amplitude *= 0.62) {
    const gw = Math.ceil(width / cell) + 2;
    const gh = Math.ceil(height / cell) + 2;
    const lattice = Float32Array.from({ length: gw * gh }, () => rng.uniform(-1, 1));
    const inv = 1 / cell;
    for (let y = 0; y < height; y++) {
      const fy = y * inv;
      const gy = Math.floor(fy);
      const ty = fy - gy;
      const sy = ty * ty * (3 - 2 * ty);
      const r0 = gy * gw;
      const r1 = r0 + gw;
      for (let x = 0; x < width; x++) {
        const fx = x * inv;
        const gx = Math.floor(fx);
        const tx = fx - gx;
        const sx = tx * tx * (3 - 2 * tx);
        const a = lattice[r0 + gx]! + (lattice[r0 + gx + 1]! - lattice[r0 + gx]!) * sx;
        const b = lattice[r1 + gx]! + (lattice[r1 + gx + 1]! - lattice[r1 + gx]!) * sx;
        out[y * width + x]! += amplitude * (a + (b - a) * sy);
      }
    }
  }
  return out;
}

const clamp255 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** A photo-like RGB image of the given size; the same seed gives the same bytes. */
export function syntheticPhoto(width: number, height: number, seed = 1): Photo {
  const rng = new Rng(seed);
  const side = Math.max(width, height);
  const texture = valueNoise(width, height, rng, Math.max(8, side / 6), 7);
  const data = new Uint8Array(width * height * 3);
  // Background: a sky-to-ground gradient with a horizon, textured below it.
  const horizon = Math.round(height * rng.uniform(0.35, 0.55));
  const sky = [rng.uniform(120, 200), rng.uniform(150, 210), rng.uniform(190, 250)];
  const ground = [rng.uniform(60, 120), rng.uniform(70, 130), rng.uniform(30, 80)];
  for (let y = 0; y < height; y++) {
    const below = y >= horizon;
    const t = below ? (y - horizon) / Math.max(1, height - horizon) : y / Math.max(1, horizon);
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const tex = texture[i]!;
      for (let c = 0; c < 3; c++) {
        const v = below ? ground[c]! * (1.1 - 0.4 * t) * (1 + 0.45 * tex) : sky[c]! * (0.85 + 0.2 * t) + 12 * tex;
        data[i * 3 + c] = clamp255(v);
      }
    }
  }
  // Objects: anti-aliased ellipses and rectangles, painted back to front.
  const shapes = 40;
  for (let s = 0; s < shapes; s++) {
    const cx = rng.uniform(0, width);
    const cy = rng.uniform(height * 0.2, height);
    const rx = side * rng.uniform(0.01, 0.12);
    const ry = side * rng.uniform(0.01, 0.12);
    const ellipse = rng.next() < 0.6;
    const colour = [rng.uniform(20, 240), rng.uniform(20, 240), rng.uniform(20, 240)];
    const textureGain = rng.uniform(0.1, 1);
    const shade = rng.uniform(-0.4, 0.4); // light from one side
    const x0 = Math.max(0, Math.floor(cx - rx - 1)), x1 = Math.min(width, Math.ceil(cx + rx + 1));
    const y0 = Math.max(0, Math.floor(cy - ry - 1)), y1 = Math.min(height, Math.ceil(cy + ry + 1));
    for (let y = y0; y < y1; y++) {
      const dy = (y + 0.5 - cy) / ry;
      for (let x = x0; x < x1; x++) {
        const dx = (x + 0.5 - cx) / rx;
        // coverage: 1 inside, a one-pixel ramp across the edge
        const edge = ellipse ? (1 - Math.sqrt(dx * dx + dy * dy)) * Math.min(rx, ry) : Math.min((1 - Math.abs(dx)) * rx, (1 - Math.abs(dy)) * ry);
        const alpha = edge >= 1 ? 1 : edge <= 0 ? 0 : edge;
        if (alpha === 0) continue;
        const i = y * width + x;
        const light = 1 + shade * dx + textureGain * texture[i]!;
        for (let c = 0; c < 3; c++) {
          const k = i * 3 + c;
          data[k] = clamp255(data[k]! * (1 - alpha) + colour[c]! * light * alpha);
        }
      }
    }
  }
  // Fine detail: a band of thin stripes (fabric, fences, text-like edges).
  const bandTop = Math.round(height * rng.uniform(0.6, 0.8));
  const bandRows = Math.round(height * 0.05);
  const period = rng.uniform(3, 7);
  for (let y = bandTop; y < Math.min(height, bandTop + bandRows); y++) {
    for (let x = 0; x < width; x++) {
      const k = (y * width + x) * 3;
      const stripe = Math.sin((2 * Math.PI * (x + 0.3 * y)) / period) * 40;
      for (let c = 0; c < 3; c++) data[k + c] = clamp255(data[k + c]! + stripe);
    }
  }
  return { width, height, channels: 3, data };
}

/** The photo's BT.601 luma as a gray photo. */
export function grayPhoto(photo: Photo): Photo {
  if (photo.channels === 1) return photo;
  const n = photo.width * photo.height;
  const d = photo.data;
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = clamp255(0.299 * d[3 * i]! + 0.587 * d[3 * i + 1]! + 0.114 * d[3 * i + 2]!);
  return { ...photo, channels: 1, data };
}

/** Adds white Gaussian noise of std sigma (0-255 scale), rounded and clipped to 8 bits, as a saved noisy photo. */
export function addGaussianNoise(photo: Photo, sigma: number, seed: number): Photo {
  const rng = new Rng(seed);
  const data = new Uint8Array(photo.data.length);
  for (let i = 0; i < data.length; i++) data[i] = clamp255(photo.data[i]! + sigma * rng.normal());
  return { ...photo, data };
}

/** Writes the photo as an 8-bit PNG (fast zlib level: the file is an input, not a result). */
export async function writePhotoPng(photo: Photo, file: string): Promise<void> {
  await sharp(photo.data, { raw: { width: photo.width, height: photo.height, channels: photo.channels } })
    .toColourspace(photo.channels === 1 ? 'b-w' : 'srgb') // else libvips writes gray as RGB
    .png({ compressionLevel: 1 })
    .toFile(file);
}

/**
 * The PNG of a seeded photo of this size (with noise of `sigma` when given) in `dir`, generated on
 * first use and reused by later rows of the same bench run.
 */
export async function photoFile(dir: string, width: number, height: number, opts: { sigma?: number; seed?: number; gray?: boolean } = {}): Promise<string> {
  const seed = opts.seed ?? 1;
  const file = path.join(dir, `photo-${width}x${height}-seed${seed}${opts.gray ? '-gray' : ''}${opts.sigma ? `-sigma${opts.sigma}` : ''}.png`);
  if (await fs.stat(file).then(() => true, () => false)) return file;
  const colour = syntheticPhoto(width, height, seed);
  const clean = opts.gray ? grayPhoto(colour) : colour;
  const photo = opts.sigma ? addGaussianNoise(clean, opts.sigma, seed + 1000) : clean;
  const partial = `${file}.${process.pid}.tmp`;
  await writePhotoPng(photo, partial);
  await fs.rename(partial, file);
  return file;
}
