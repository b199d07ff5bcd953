// Exact bit-depth conversion of rasters: 8 -> 16 multiplies by 257 (255 -> 65535) and
// 16 -> 8 rounds v / 257 to nearest. libvips shifts by 8 bits instead (255 -> 65280, and a
// 16-bit value truncated), which darkens by up to one level, so conversions are done here.

import type { Raster } from './types';

/** The raster at `depth`: the same object when already there, else a new one. */
export function toDepth(r: Raster, depth: 8 | 16): Raster {
  if (r.depth === depth) return r;
  const n = r.data.length;
  const src = r.data;
  if (depth === 16) {
    const out = new Uint16Array(n);
    for (let i = 0; i < n; i++) out[i] = (src[i] ?? 0) * 257;
    return { ...r, depth, data: out };
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = ((src[i] ?? 0) + 128) / 257;
  return { ...r, depth, data: out };
}
