// Bilinear resampling (half-pixel centres, like sharp/OpenCV "linear") for the small jobs the
// tasks need outside the model: upscaling the alpha channel, fitting a mask to the image, and
// upsampling colorize's ab map. Sampling is row-by-row through precomputed tables so callers can
// stream full-resolution output without a full-resolution float copy.

export interface AxisTable {
  i0: Int32Array;
  i1: Int32Array;
  t: Float32Array;
}

/** For each of `dst` output positions: the two source indices and the weight of the second. */
export function axisTable(src: number, dst: number): AxisTable {
  const i0 = new Int32Array(dst);
  const i1 = new Int32Array(dst);
  const t = new Float32Array(dst);
  const ratio = src / dst;
  for (let d = 0; d < dst; d++) {
    let pos = (d + 0.5) * ratio - 0.5;
    if (pos < 0) pos = 0;
    if (pos > src - 1) pos = src - 1;
    const a = Math.floor(pos);
    i0[d] = a;
    i1[d] = Math.min(a + 1, src - 1);
    t[d] = pos - a;
  }
  return { i0, i1, t };
}

type Samples = Uint8Array | Uint16Array | Float32Array;

/**
 * Resizes one interleaved channel `ch` of `src` (sw x sh, `stride` samples per pixel) into channel
 * `dch` of `dst` (dw x dh, `dstride` per pixel). Integer destinations are rounded.
 */
export function resizeChannel(
  src: Samples, sw: number, sh: number, stride: number, ch: number,
  dst: Samples, dw: number, dh: number, dstride: number, dch: number,
): void {
  const tx = axisTable(sw, dw);
  const ty = axisTable(sh, dh);
  const round = !(dst instanceof Float32Array);
  for (let y = 0; y < dh; y++) {
    const r0 = ty.i0[y]! * sw;
    const r1 = ty.i1[y]! * sw;
    const fy = ty.t[y]!;
    for (let x = 0; x < dw; x++) {
      const a = tx.i0[x]!;
      const b = tx.i1[x]!;
      const fx = tx.t[x]!;
      const top = src[(r0 + a) * stride + ch]! * (1 - fx) + src[(r0 + b) * stride + ch]! * fx;
      const bot = src[(r1 + a) * stride + ch]! * (1 - fx) + src[(r1 + b) * stride + ch]! * fx;
      const v = top * (1 - fy) + bot * fy;
      dst[(y * dw + x) * dstride + dch] = round ? Math.round(v) : v;
    }
  }
}
