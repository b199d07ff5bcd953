// Box mean of a float plane: the (2r+1)^2 window clipped at the borders, by separable running
// sums (O(pixels) whatever r). Shared by the guided upsampling of ab (upsample.ts) and the
// smoothing of the L guide of colour points (propagate.ts).

/** Mean over the (2r+1)^2 window clipped to the plane, for a w x h plane. */
export function boxMean(src: Float32Array, w: number, h: number, r: number): Float32Array {
  if (src.length !== w * h) throw new Error(`boxMean: plane has ${src.length} pixels, expected ${w} x ${h}`);
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    let s = 0;
    for (let x = 0; x <= Math.min(r, w - 1); x++) s += src[o + x]!;
    for (let x = 0; x < w; x++) {
      tmp[o + x] = s / (Math.min(w - 1, x + r) - Math.max(0, x - r) + 1);
      if (x + r + 1 < w) s += src[o + x + r + 1]!;
      if (x - r >= 0) s -= src[o + x - r]!;
    }
  }
  for (let x = 0; x < w; x++) {
    let s = 0;
    for (let y = 0; y <= Math.min(r, h - 1); y++) s += tmp[y * w + x]!;
    for (let y = 0; y < h; y++) {
      out[y * w + x] = s / (Math.min(h - 1, y + r) - Math.max(0, y - r) + 1);
      if (y + r + 1 < h) s += tmp[(y + r + 1) * w + x]!;
      if (y - r >= 0) s -= tmp[(y - r) * w + x]!;
    }
  }
  return out;
}
