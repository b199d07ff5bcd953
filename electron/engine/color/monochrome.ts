// Is a decoded raster a black-and-white photo? The colorize step's `monochromeOnly` asks it, so a
// batch of a mixed folder colourizes only its gray and toned prints. A gray raster (one colour
// channel) is; an RGB one is measured as the Restore view measures a photo in the browser: on a
// copy at most 256 px long (area-averaged, 8-bit), by the residual chroma within brightness bins
// (api/grayness.ts), with the same threshold. The training folder scan measures a copy decoded at
// that size (sharp's shrink-on-load) through the same function.
import type { Raster } from '../../imageio/types';
import { MONOCHROME_RESIDUAL, tintResidual } from '../../api/grayness';
import { maxValue } from '../sources';

/** Longest side of the copy measured; a raster this small is measured as it is. */
export const MONOCHROME_MEASURE_SIDE = 256;

/** RGBA 8-bit pixels of the raster area-averaged to at most `side` px long (alpha 255 where it has none). */
function smallRgba(r: Raster, side: number): Uint8Array {
  const k = Math.min(1, side / Math.max(r.width, r.height));
  const w = Math.max(1, Math.round(r.width * k));
  const h = Math.max(1, Math.round(r.height * k));
  const sum = new Float64Array(w * h * 4);
  const count = new Uint32Array(w * h);
  const { data, channels } = r;
  const scale = 255 / maxValue(r);
  const colour = r.hasAlpha ? channels - 1 : channels;
  for (let y = 0; y < r.height; y++) {
    const row = Math.min(h - 1, Math.floor((y * h) / r.height)) * w;
    for (let x = 0; x < r.width; x++) {
      const i = row + Math.min(w - 1, Math.floor((x * w) / r.width));
      const o = (y * r.width + x) * channels;
      for (let c = 0; c < 3; c++) sum[i * 4 + c]! += data[o + (colour === 1 ? 0 : c)]! * scale;
      sum[i * 4 + 3]! += r.hasAlpha ? data[o + channels - 1]! * scale : 255;
      count[i]! += 1;
    }
  }
  const out = new Uint8Array(w * h * 4);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(sum[i]! / Math.max(1, count[i >> 2]!));
  return out;
}

/** The residual chroma of the raster (0-255 units); 0 for a gray raster. */
export function rasterTintResidual(r: Raster): number {
  if ((r.hasAlpha ? r.channels - 1 : r.channels) === 1) return 0;
  return tintResidual(smallRgba(r, MONOCHROME_MEASURE_SIDE));
}

export function rasterLooksMonochrome(r: Raster): boolean {
  return rasterTintResidual(r) <= MONOCHROME_RESIDUAL;
}
