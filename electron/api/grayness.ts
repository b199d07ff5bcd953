// Is a photo black-and-white? "Restore old photo" colourizes only those (the Restore view measures
// in the browser, renderer/src/lib/grayness.ts), and so does a colorize step with `monochromeOnly`
// (the engine measures the decoded raster, engine/color/monochrome.ts). A scanned print is rarely
// exactly gray: sepia, selenium or cyanotype toning gives every brightness its own tint, and a
// scanner adds a little colour noise. So the test is not "no colour" but "one tint per
// brightness": pixels are binned by luma, and the RMS distance of each pixel's chroma from its
// bin's mean chroma (0-255 units) is small for any toned monochrome print and large for a colour
// photo, whose colours differ at the same brightness. Measured on a copy at most 256 px long.
// The threshold errs on the side of keeping colour (colourizing replaces a photo's colours): on
// 256 px copies, gray prints (shared/data/eval/old/LoC) measure 0, CBSD68 and McMaster photos
// sepia-toned 1-4.2, the same photos in colour 4.6-89 (one muted CBSD68 scene below 8); a toned
// scan saved as a strongly compressed JPEG (chroma fringes, 5-8) counts as colour, and the user
// switches Colourize on by hand (test/renderer/oldPhoto.test.ts).

/** Residual chroma at or below this (0-255 units) = monochrome. */
export const MONOCHROME_RESIDUAL = 5;
const BINS = 32;

/** RMS chroma spread within luma bins of RGBA pixels (transparent ones skipped), 0-255 units. */
export function tintResidual(rgba: ArrayLike<number>): number {
  const n = new Float64Array(BINS);
  const sumA = new Float64Array(BINS);
  const sumB = new Float64Array(BINS);
  const sumSq = new Float64Array(BINS);
  for (let i = 0; i + 3 < rgba.length; i += 4) {
    if ((rgba[i + 3] as number) < 128) continue;
    const r = rgba[i] as number;
    const g = rgba[i + 1] as number;
    const b = rgba[i + 2] as number;
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    const k = Math.min(BINS - 1, Math.floor((y * BINS) / 256));
    const ca = r - g;
    const cb = (r + g) / 2 - b;
    n[k]! += 1;
    sumA[k]! += ca;
    sumB[k]! += cb;
    sumSq[k]! += ca * ca + cb * cb;
  }
  let total = 0;
  let count = 0;
  for (let k = 0; k < BINS; k++) {
    const m = n[k]!;
    if (m === 0) continue;
    // Sum over the bin of |c - mean|^2 = sum |c|^2 - |sum c|^2 / m.
    total += Math.max(0, sumSq[k]! - (sumA[k]! * sumA[k]! + sumB[k]! * sumB[k]!) / m);
    count += m;
  }
  return count === 0 ? 0 : Math.sqrt(total / count);
}

export function looksMonochrome(rgba: ArrayLike<number>): boolean {
  return tintResidual(rgba) <= MONOCHROME_RESIDUAL;
}
