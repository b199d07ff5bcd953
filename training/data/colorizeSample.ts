// One colourization training example from a clean colour patch: the model sees L (sometimes made
// to look like an old print: faded contrast, blur, film grain, so scanned prints are
// in-distribution) and colour points sampled from the ground truth (none in a share of the
// samples: automatic mode, the same network), and learns the true ab. Hints follow the engine's
// renderer (electron/engine/color/hints.ts): a disc of the 5 x 5 mean ab around the point.
import { renderHints, type AbPoint } from '../../electron/engine/color/hints';
import type { Rng } from '../rng';
import { gaussianBlur, labSplit, type Planar } from './degrade';

/** Share of samples without any colour point (automatic colourization). */
export const AUTOMATIC_SHARE = 0.35;
/** Most colour points in one sample (log-uniform count from 1). */
export const MAX_TRAIN_HINTS = 160;
/** Share of samples given old-print degradations of L. */
export const OLD_PRINT_SHARE = 0.35;

/** Old-print look on L in [0, 1] (in place): faded contrast, blur, grain, each on about half. */
export function oldPrintLuma(luma: Float32Array, side: number, rng: Rng): Float32Array {
  let x = luma;
  if (rng.next() < 0.5) {
    const lo = rng.uniform(0, 0.15);
    const hi = rng.uniform(0.8, 1);
    for (let i = 0; i < x.length; i++) x[i] = lo + (hi - lo) * (x[i] as number);
  }
  if (rng.next() < 0.5) x = gaussianBlur({ c: 1, h: side, w: side, data: x }, rng.uniform(0.4, 1.6)).data;
  if (rng.next() < 0.5) {
    // Film grain: white noise, low-pass filtered on half of these for a coarser, correlated grain.
    const sigma = rng.uniform(0.01, 0.06);
    let n: Float32Array = new Float32Array(x.length);
    for (let i = 0; i < n.length; i++) n[i] = rng.normal();
    if (rng.next() < 0.5) {
      const s = rng.uniform(0.6, 1.5);
      n = gaussianBlur({ c: 1, h: side, w: side, data: n }, s).data;
      const gain = 2 * Math.sqrt(Math.PI) * s; // restores unit variance after a Gaussian low-pass
      for (let i = 0; i < n.length; i++) n[i] = (n[i] as number) * gain;
    }
    for (let i = 0; i < x.length; i++) x[i] = Math.min(1, Math.max(0, (x[i] as number) + sigma * (n[i] as number)));
  }
  return x;
}

/** Mean of ab (2 planes of side x side) in the (2r+1)^2 window around (x, y), in Lab units. */
export function windowMeanAb(ab: Float32Array, side: number, x: number, y: number, r = 2): { a: number; b: number } {
  let sa = 0, sb = 0, n = 0;
  for (let yy = Math.max(0, y - r); yy <= Math.min(side - 1, y + r); yy++) {
    for (let xx = Math.max(0, x - r); xx <= Math.min(side - 1, x + r); xx++) {
      sa += ab[yy * side + xx] as number;
      sb += ab[side * side + yy * side + xx] as number;
      n++;
    }
  }
  return { a: (128 * sa) / n, b: (128 * sb) / n };
}

/**
 * Colour points sampled from the true ab: count 0 (automatic) or log-uniform 1..MAX_TRAIN_HINTS;
 * positions uniform or normal about the centre (sd = side / 4, as the evaluation protocol); radius 0-3.
 * With `frame` (a side in pixels, e.g. the model's working size) the count is drawn per frame of
 * that side and scaled to the patch's area (rounded at random), so a patch smaller than the photos
 * the model colourizes sees points as sparse as a user's few points on a whole photo, far apart.
 */
export function sampleTrainHints(ab: Float32Array, side: number, rng: Rng, frame?: number): AbPoint[] {
  if (rng.next() < AUTOMATIC_SHARE) return [];
  const drawn = Math.exp(rng.uniform(0, Math.log(MAX_TRAIN_HINTS + 1)));
  const scaled = frame ? (drawn * side * side) / (frame * frame) : drawn;
  const count = Math.min(MAX_TRAIN_HINTS, frame ? Math.floor(scaled + rng.next()) : Math.floor(scaled));
  const central = rng.next() < 0.5;
  const clampPos = (v: number): number => Math.min(side - 1, Math.max(0, Math.round(v)));
  const points: AbPoint[] = [];
  for (let k = 0; k < count; k++) {
    const x = central ? clampPos(side / 2 + (rng.normal() * side) / 4) : rng.int(side);
    const y = central ? clampPos(side / 2 + (rng.normal() * side) / 4) : rng.int(side);
    points.push({ x, y, ...windowMeanAb(ab, side, x, y), radius: rng.int(4) });
  }
  return points;
}

export interface ColorizeExample { luma: Float32Array; hintAb: Float32Array; hintMask: Float32Array; ab: Float32Array }

/** The example of a clean RGB patch (planar, side x side); `hintFrame` as in sampleTrainHints. */
export function colorizeExample(clean: Planar, rng: Rng, hintFrame?: number): ColorizeExample {
  const side = clean.w;
  const { luma, ab } = labSplit(clean);
  const hints = renderHints(sampleTrainHints(ab, side, rng, hintFrame), side, side);
  const l = rng.next() < OLD_PRINT_SHARE ? oldPrintLuma(luma, side, rng) : luma;
  return { luma: l, hintAb: hints.ab, hintMask: hints.mask, ab };
}
