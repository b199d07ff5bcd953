// Edge-aware upsampling of colorize's ab from the working resolution to the photo's, guided by
// the photo's own full-resolution L, so colour stops at the picture's edges instead of bleeding
// over them as plain bilinear upsampling does. A guided-filter model (He et al.; the fast,
// subsampled form of He & Sun 2015) fitted at the working size: in each 3 x 3 window ab varies
// as slope * L, the slopes are smoothed, and at full resolution
//   ab = bilinear(ab) + bilinear(slope) * (L - bilinear(L at working size)),
// i.e. bilinear where L is as smooth as its working-size version, sharpened along L where L has
// detail the working size lost (an edge). The result stays within the range of the ab around it
// (no overshoot). Row by row: memory is a few working-size planes whatever the photo's size.
import { axisTable } from '../resample';
import { boxMean } from './boxFilter';

export interface GuidedUpsampleOptions {
  /** Window radius at the working size, in pixels. */
  radius: number;
  /** Regularization of the slope ((L / 100)^2 units): larger = closer to bilinear. */
  eps: number;
}

export const DEFAULT_UPSAMPLE: GuidedUpsampleOptions = { radius: 1, eps: 3e-3 };

/** Per-pixel min and max of a plane over its 3 x 3 neighbourhood. */
function localRange(src: Float32Array, w: number, h: number): { lo: Float32Array; hi: Float32Array } {
  const lo = new Float32Array(w * h);
  const hi = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let mn = Infinity;
      let mx = -Infinity;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
        for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
          const v = src[yy * w + xx]!;
          if (v < mn) mn = v;
          if (v > mx) mx = v;
        }
      }
      lo[y * w + x] = mn;
      hi[y * w + x] = mx;
    }
  }
  return { lo, hi };
}

/** Writes one full-resolution row y of both ab planes from that row's L / 100. */
export type AbRowWriter = (y: number, lRow: Float32Array, outA: Float32Array, outB: Float32Array) => void;

/**
 * Prepares the upsampling of `ab` (2 planes of sw x sh, any units) guided by `luma` (L / 100 at
 * sw x sh, the area average of the full-resolution L) to W x H.
 */
export function guidedAbUpsampler(
  ab: Float32Array, luma: Float32Array, sw: number, sh: number, W: number, H: number,
  opts: GuidedUpsampleOptions = DEFAULT_UPSAMPLE,
): AbRowWriter {
  const n = sw * sh;
  if (ab.length !== 2 * n || luma.length !== n) throw new Error(`guidedAbUpsampler: planes do not match ${sw} x ${sh}`);
  const { radius: r, eps } = opts;
  const meanI = boxMean(luma, sw, sh, r);
  const varI = boxMean(luma.map((v) => v * v), sw, sh, r);
  for (let i = 0; i < n; i++) varI[i] = Math.max(0, varI[i]! - meanI[i]! * meanI[i]!);
  const planes = [0, 1].map((c) => {
    const p = ab.subarray(c * n, (c + 1) * n);
    const meanP = boxMean(p, sw, sh, r);
    const corr = boxMean(p.map((v, i) => v * luma[i]!), sw, sh, r);
    const slope = new Float32Array(n);
    for (let i = 0; i < n; i++) slope[i] = (corr[i]! - meanI[i]! * meanP[i]!) / (varI[i]! + eps);
    return { p, slope: boxMean(slope, sw, sh, r), ...localRange(p, sw, sh) };
  });
  const tx = axisTable(sw, W);
  const ty = axisTable(sh, H);
  return (y, lRow, outA, outB) => {
    const r0 = ty.i0[y]! * sw;
    const r1 = ty.i1[y]! * sw;
    const fy = ty.t[y]!;
    for (let x = 0; x < W; x++) {
      const i00 = r0 + tx.i0[x]!;
      const i01 = r0 + tx.i1[x]!;
      const i10 = r1 + tx.i0[x]!;
      const i11 = r1 + tx.i1[x]!;
      const fx = tx.t[x]!;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const detail = lRow[x]! - (luma[i00]! * w00 + luma[i01]! * w01 + luma[i10]! * w10 + luma[i11]! * w11);
      for (let c = 0; c < 2; c++) {
        const { p, slope, lo, hi } = planes[c]!;
        const v = p[i00]! * w00 + p[i01]! * w01 + p[i10]! * w10 + p[i11]! * w11
          + detail * (slope[i00]! * w00 + slope[i01]! * w01 + slope[i10]! * w10 + slope[i11]! * w11);
        let vlo = lo[i00]!;
        let vhi = hi[i00]!;
        if (lo[i01]! < vlo) vlo = lo[i01]!;
        if (lo[i10]! < vlo) vlo = lo[i10]!;
        if (lo[i11]! < vlo) vlo = lo[i11]!;
        if (hi[i01]! > vhi) vhi = hi[i01]!;
        if (hi[i10]! > vhi) vhi = hi[i10]!;
        if (hi[i11]! > vhi) vhi = hi[i11]!;
        (c === 0 ? outA : outB)[x] = v < vlo ? vlo : v > vhi ? vhi : v;
      }
    }
  };
}
