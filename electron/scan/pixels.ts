// Reading a scan's pixels the way the print finder sees them: sRGB levels 0-255 whatever the bit
// depth and channel count, gray spread to three channels, transparency laid on white (the colour
// of paper and of most scanner lids).
import type { Raster } from '../imageio/types';

/** A reader writing pixel `i`'s red, green and blue (0-255, on white) into `out`. */
export function onWhiteReader(r: Raster): (i: number, out: Float64Array) => void {
  const unit = r.depth === 16 ? 257 : 1;
  const { channels, hasAlpha, data } = r;
  const gray = (hasAlpha ? channels - 1 : channels) === 1;
  return (i, out) => {
    const b = i * channels;
    const a = hasAlpha ? data[b + channels - 1]! / (255 * unit) : 1;
    for (let c = 0; c < 3; c++) out[c] = (data[b + (gray ? 0 : c)]! / unit) * a + 255 * (1 - a);
  };
}

/** Luma (Rec. 601) of an RGB triple. */
export function luma(rgb: ArrayLike<number>): number {
  return 0.299 * rgb[0]! + 0.587 * rgb[1]! + 0.114 * rgb[2]!;
}
