// Edge-aware smoothing guided by a gray image: the recursive filter of the domain transform
// (Gastal & Oliveira, "Domain Transform for Edge-Aware Image and Video Processing", SIGGRAPH 2011).
// Along each row and column the distance between neighbours is 1 + (sigmaS / sigmaR) * |dGuide|,
// so a step of the guide by many sigmaR acts as a long way and the filter's exponential response
// (length sigmaS) stops there. Rows then columns, `iterations` times with shrinking lengths, as in
// the paper, so the 2-D response becomes near-isotropic. O(pixels) whatever the lengths. Used by
// colour points (propagate.ts) to spread a point's colour over its region and not past its edges.

export interface EdgeAwareOptions {
  /** Spatial length of the response, in pixels. */
  sigmaS: number;
  /** Guide step (guide units) that counts like sigmaS pixels of distance. */
  sigmaR: number;
  /** Row/column rounds (default 3). */
  iterations?: number;
}

/** Per-step feedback weights: a^(1 + k|dI|) for the step from i-1 to i along rows (h) and columns (v). */
function stepDistances(guides: Float32Array[], w: number, h: number, k: number): { dh: Float32Array; dv: Float32Array } {
  const dh = new Float32Array(w * h).fill(1);
  const dv = new Float32Array(w * h).fill(1);
  for (const g of guides) {
    for (let y = 0; y < h; y++) {
      const r = y * w;
      for (let x = 1; x < w; x++) dh[r + x]! += k * Math.abs(g[r + x]! - g[r + x - 1]!);
      if (y > 0) for (let x = 0; x < w; x++) dv[r + x]! += k * Math.abs(g[r + x]! - g[r - w + x]!);
    }
  }
  return { dh, dv };
}

/** One causal + anti-causal pass along a line of `n` samples starting at `o` with stride `s`. */
function passLine(f: Float32Array, wgt: Float32Array, o: number, n: number, s: number): void {
  for (let i = 1, p = o + s; i < n; i++, p += s) f[p] = f[p]! + wgt[p]! * (f[p - s]! - f[p]!);
  for (let i = n - 2, p = o + (n - 2) * s; i >= 0; i--, p -= s) f[p] = f[p]! + wgt[p + s]! * (f[p + s]! - f[p]!);
}

/**
 * Filters each w x h plane of `planes` in place, edge-aware along `guide` (same size). A plane of
 * ones stays ones; the filter is linear in the planes, so ratios of filtered planes (normalized
 * convolution) are edge-aware weighted means.
 */
export function edgeAwareFilter(planes: Float32Array[], guides: Float32Array[], w: number, h: number, opts: EdgeAwareOptions): void {
  for (const g of guides) if (g.length !== w * h) throw new Error(`guide has ${g.length} pixels, expected ${w} x ${h}`);
  for (const p of planes) if (p.length !== w * h) throw new Error(`plane has ${p.length} pixels, expected ${w} x ${h}`);
  const n = opts.iterations ?? 3;
  const { dh, dv } = stepDistances(guides, w, h, opts.sigmaS / opts.sigmaR);
  const wh = new Float32Array(w * h);
  const wv = new Float32Array(w * h);
  for (let it = 0; it < n; it++) {
    const sigma = (opts.sigmaS * Math.sqrt(3) * 2 ** (n - it - 1)) / Math.sqrt(4 ** n - 1);
    const a = Math.exp(-Math.SQRT2 / sigma);
    for (let i = 0; i < w * h; i++) {
      wh[i] = a ** dh[i]!;
      wv[i] = a ** dv[i]!;
    }
    for (const f of planes) {
      for (let y = 0; y < h; y++) passLine(f, wh, y * w, w, 1);
      for (let x = 0; x < w; x++) passLine(f, wv, x, h, w);
    }
  }
}
