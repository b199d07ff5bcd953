// Colour points spread over their regions, after the network. The network honours a point under
// its disc but carries the colour only a short way (and leaves disc-shaped blotches), so each
// point's colour is spread by normalized convolution with the edge-aware filter of
// domainTransform.ts, guided by L lightly smoothed (so texture does not stop it, edges do):
// ab = (F(mask * point ab) + prior * net ab) / (F(mask) + prior). Near a point, and across the
// region it sits in, its colour wins; far from every point (or past an edge of L) the network's
// colour does, `prior` saying how many pixels of point disc the network's colour is worth at any
// distance; several points blend by their edge-aware closeness. Works at the working resolution
// in the model's units (ab / 128), on the hint planes of hints.ts.
import { boxMean } from './boxFilter';
import { edgeAwareFilter } from './domainTransform';

export interface PropagateOptions {
  /** Reach of a point along a flat region, in working pixels. */
  sigmaS: number;
  /** Step of L (0-100) that stops a point as much as sigmaS pixels of distance. */
  sigmaR: number;
  /** The network's colour counts like this many pixels of point disc, at any distance. */
  prior: number;
  /** Radius of the box smoothing (applied twice) of the L guide, in working pixels. */
  smooth: number;
  iterations?: number;
}

export const DEFAULT_PROPAGATION: PropagateOptions = { sigmaS: 256, sigmaR: 6, prior: 1, smooth: 3 };

/** Peak of the filter's 2-D response to one pixel on a flat guide: the square of its 1-D peak. */
export function flatPeak(opts: PropagateOptions): number {
  const half = Math.ceil(8 * opts.sigmaS);
  const line = new Float32Array(2 * half + 1);
  line[half] = 1;
  edgeAwareFilter([line], [new Float32Array(line.length)], line.length, 1, opts);
  // a flat guide's columns respond as its rows do: the 2-D peak is the product
  return line[half]! ** 2;
}

/**
 * Spreads the colour points into `ab` (2 planes of w x h, model units) in place. `luma` is L / 100
 * (the model's input) at the same size; `hints` are the rendered hint planes (hints.ts).
 */
export function propagatePoints(
  ab: Float32Array, luma: Float32Array, w: number, h: number,
  hints: { ab: Float32Array; mask: Float32Array }, opts: PropagateOptions = DEFAULT_PROPAGATION,
): void {
  const n = w * h;
  if (ab.length !== 2 * n || luma.length !== n || hints.mask.length !== n || hints.ab.length !== 2 * n) {
    throw new Error(`propagatePoints: planes do not match ${w} x ${h}`);
  }
  if (!hints.mask.some((m) => m > 0)) return;
  const pa = new Float32Array(n);
  const pb = new Float32Array(n);
  const wt = hints.mask.slice();
  for (let i = 0; i < n; i++) {
    pa[i] = wt[i]! * hints.ab[i]!;
    pb[i] = wt[i]! * hints.ab[n + i]!;
  }
  let guide: Float32Array = luma.map((v) => 100 * v);
  if (opts.smooth > 0) guide = boxMean(boxMean(guide, w, h, opts.smooth), w, h, opts.smooth);
  edgeAwareFilter([pa, pb, wt], [guide], w, h, opts);
  const prior = opts.prior * flatPeak(opts);
  for (let i = 0; i < n; i++) {
    const d = wt[i]! + prior;
    ab[i] = (pa[i]! + prior * ab[i]!) / d;
    ab[n + i] = (pb[i]! + prior * ab[n + i]!) / d;
  }
}
