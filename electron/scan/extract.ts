// Cuts one print out of a scan: the pixels of a rotated rectangle, turned upright, resampled with
// Catmull-Rom (bicubic) interpolation at any bit depth and channel count; a rectangle that lies
// square on the pixel grid is copied as it is, without resampling. The work is cut into slices of
// rows between which the event loop runs (the app's server stays responsive).
import type { Raster } from '../imageio/types';
import type { RotatedRect } from './geometry';

function catmullRom(t: number): [number, number, number, number] {
  const t2 = t * t, t3 = t2 * t;
  return [(-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2];
}

function emptyLike(src: Raster, width: number, height: number): Raster {
  const n = width * height * src.channels;
  return { width, height, channels: src.channels, hasAlpha: src.hasAlpha, depth: src.depth, data: src.depth === 16 ? new Uint16Array(n) : new Uint8Array(n) };
}

/** Lets other work of the process run (the app's server answers calls meanwhile). */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The pixels of `rect` (in `src`'s pixels) turned upright: round(width) x round(height). Yields to
 * the event loop every few rows: a large print takes seconds, and the app's server must go on.
 */
export async function extractRect(src: Raster, rect: RotatedRect): Promise<Raster> {
  const width = Math.max(1, Math.round(rect.width));
  const height = Math.max(1, Math.round(rect.height));
  const out = emptyLike(src, width, height);
  const c = src.channels;
  const x0 = rect.cx - width / 2, y0 = rect.cy - height / 2;
  if (Math.abs(rect.angle) < 0.05 && Math.abs(x0 - Math.round(x0)) < 0.05 && Math.abs(y0 - Math.round(y0)) < 0.05) {
    const left = Math.round(x0), top = Math.round(y0);
    for (let y = 0; y < height; y++) {
      const sy = Math.min(src.height - 1, Math.max(0, top + y));
      for (let x = 0; x < width; x++) {
        const sx = Math.min(src.width - 1, Math.max(0, left + x));
        for (let k = 0; k < c; k++) out.data[(y * width + x) * c + k] = src.data[(sy * src.width + sx) * c + k]!;
      }
    }
    return out;
  }
  const a = (rect.angle * Math.PI) / 180;
  const ux = Math.cos(a), uy = Math.sin(a);
  const max = src.depth === 16 ? 65535 : 255;
  const acc = new Float64Array(c);
  for (let y = 0; y < height; y++) {
    if (y % 64 === 63) await breathe();
    const dv = y + 0.5 - height / 2;
    for (let x = 0; x < width; x++) {
      const du = x + 0.5 - width / 2;
      // the output pixel's centre in the scan, in pixel-index coordinates (centres on integers)
      const sx = rect.cx + ux * du - uy * dv - 0.5;
      const sy = rect.cy + uy * du + ux * dv - 0.5;
      const ix = Math.floor(sx), iy = Math.floor(sy);
      const wx = catmullRom(sx - ix), wy = catmullRom(sy - iy);
      acc.fill(0);
      for (let j = 0; j < 4; j++) {
        const yy = Math.min(src.height - 1, Math.max(0, iy - 1 + j));
        for (let i = 0; i < 4; i++) {
          const xx = Math.min(src.width - 1, Math.max(0, ix - 1 + i));
          const wgt = wx[i]! * wy[j]!;
          const base = (yy * src.width + xx) * c;
          for (let k = 0; k < c; k++) acc[k]! += wgt * src.data[base + k]!;
        }
      }
      const o = (y * width + x) * c;
      for (let k = 0; k < c; k++) out.data[o + k] = Math.min(max, Math.max(0, Math.round(acc[k]!)));
    }
  }
  return out;
}
