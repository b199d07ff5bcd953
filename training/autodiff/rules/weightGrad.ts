// Conv weight gradient dW[co, ci, k] = sum_{n, o} dY[n, co, o] * X[n, ci, o*stride + k*dilation - pad],
// the expensive part of a training step. Formulations (GradOptions.weightGrad):
//  - 'conv': one Conv of the transposed input (channels as batch) with the transposed output gradient
//    as its kernel, stride and dilation swapped (groups kept by grouping the batch axis);
//  - 'taps': per kernel tap, a strided Slice of the padded input; the taps are concatenated and one
//    batched MatMul over the batch (K = output pixels) gives all taps at once (2-D, group 1 only);
//  - 'tapmm': the same slices, one batched MatMul per tap and no concatenated copy of the input.
// 'auto' picks per layer by shape (see chooseFormulation).
import type { GradContext } from './types';

export interface WindowParams {
  strides: number[];
  dilations: number[];
  group: number;
  /** begin pads then end pads, one per spatial axis */
  pads: number[];
  kernel: number[];
}

function spatial(rank: number, offset = 2): number[] {
  return Array.from({ length: rank }, (_, i) => i + offset);
}

/** 'conv' formulation; x (N, C, H..), g (N, Co, Ho..) -> (Co, C/group, k..). */
function viaConv(c: GradContext, x: string, xShape: number[], g: string, gShape: number[], p: WindowParams): string {
  const e = c.emit;
  const r = p.kernel.length;
  const [n, ch, ...hw] = xShape as [number, number, ...number[]];
  const co = gShape[1] ?? 0;
  const grp = p.group;
  const sp = spatial(r);
  // End pads chosen so the output has exactly `kernel` positions; negative means crop the input.
  const endPads = p.kernel.map((k, i) => (p.dilations[i] ?? 1) * (k - 1) + (p.strides[i] ?? 1) * ((gShape[i + 2] ?? 1) - 1) + 1 - (hw[i] ?? 0) - (p.pads[i] ?? 0));
  let xin = x;
  if (endPads.some((v) => v < 0)) {
    const ends = hw.map((h, i) => h + Math.min(0, endPads[i] ?? 0));
    xin = e.op1('Slice', [x, e.i64(Array(r).fill(0)), e.i64(ends), e.i64(sp)], {}, 'crop');
  }
  let xt: string, gt: string;
  if (grp === 1) {
    xt = e.op1('Transpose', [xin], { perm: [1, 0, ...sp] });
    gt = e.op1('Transpose', [g], { perm: [1, 0, ...sp] });
  } else {
    const cig = ch / grp, cog = co / grp;
    const hwIn = hw.map((h, i) => h + Math.min(0, endPads[i] ?? 0));
    const x5 = e.op1('Reshape', [xin, e.i64([n, grp, cig, ...hwIn])]);
    xt = e.op1('Reshape', [e.op1('Transpose', [x5], { perm: [2, 1, 0, ...spatial(r, 3)] }), e.i64([cig, grp * n, ...hwIn])]);
    const g5 = e.op1('Reshape', [g, e.i64([n, grp, cog, ...gShape.slice(2)])]);
    gt = e.op1('Reshape', [e.op1('Transpose', [g5], { perm: [1, 2, 0, ...spatial(r, 3)] }), e.i64([co, n, ...gShape.slice(2)])]);
  }
  const pads = [...p.pads.slice(0, r), ...endPads.map((v) => Math.max(0, v))];
  const dw = e.op1('Conv', [xt, gt], {
    strides: p.dilations, dilations: p.strides, pads, group: grp, kernel_shape: gShape.slice(2),
  }, 'conv_dw');
  return e.op1('Transpose', [dw], { perm: [1, 0, ...sp] }, 'dW');
}

/** 'taps' formulation (2-D, group 1); returns null when it does not apply. */
function viaTaps(c: GradContext, x: string, xShape: number[], g: string, gShape: number[], p: WindowParams, perTap: boolean): string | null {
  if (p.kernel.length !== 2 || p.group !== 1) return null;
  const e = c.emit;
  const [n, ch] = xShape as [number, number, number, number];
  const [, co, ho, wo] = gShape as [number, number, number, number];
  const [kh, kw] = p.kernel as [number, number];
  const [sh, sw] = p.strides as [number, number];
  const [dh, dw] = p.dilations as [number, number];
  const [pt, pl, pb, pr] = p.pads as [number, number, number, number];
  const xp = pt || pl || pb || pr ? e.op1('Pad', [x, e.i64([0, 0, pt, pl, 0, 0, pb, pr])]) : x;
  const taps: string[] = [];
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const starts = [a * dh, b * dw];
      const ends = [a * dh + sh * (ho - 1) + 1, b * dw + sw * (wo - 1) + 1];
      taps.push(e.op1('Slice', [xp, e.i64(starts), e.i64(ends), e.i64([2, 3]), e.i64([sh, sw])], {}, 'tap'));
    }
  }
  // Rows of `cols` are (tap, input channel); K of the batched MatMul is the output pixels of one
  // image, and the small output-gradient operand is the transposed one (measured fastest, see
  // training/README.md).
  if (perTap) {
    // One batched MatMul per tap (no concatenated copy of the input), results stacked (small).
    const gT = e.op1('Transpose', [e.op1('Reshape', [g, e.i64([n, co, ho * wo])])], { perm: [0, 2, 1] });
    const parts = taps.map((t) => e.op1('MatMul', [e.op1('Reshape', [t, e.i64([n, ch, ho * wo])]), gT], {}, 'tap_mm'));
    const stacked = parts.length === 1 ? parts[0] as string : e.op1('Concat', parts, { axis: 1 }, 'tap_stack');
    const sum = e.op1('ReduceSum', [stacked, e.i64([0])], { keepdims: 0 });
    const r4 = e.op1('Reshape', [sum, e.i64([kh, kw, ch, co])]);
    return e.op1('Transpose', [r4], { perm: [3, 2, 0, 1] }, 'dW');
  }
  const cols = taps.length === 1 ? taps[0] as string : e.op1('Concat', taps, { axis: 1 }, 'taps');
  const colsR = e.op1('Reshape', [cols, e.i64([n, kh * kw * ch, ho * wo])]);
  const gR = e.op1('Reshape', [g, e.i64([n, co, ho * wo])]);
  const prod = e.op1('MatMul', [colsR, e.op1('Transpose', [gR], { perm: [0, 2, 1] })], {}, 'taps_mm');
  const sum = e.op1('ReduceSum', [prod, e.i64([0])], { keepdims: 0 });
  const r4 = e.op1('Reshape', [sum, e.i64([kh, kw, ch, co])]);
  return e.op1('Transpose', [r4], { perm: [3, 2, 0, 1] }, 'dW');
}

/** Per-layer choice for 'auto'. */
export function chooseFormulation(xShape: number[], p: WindowParams): 'conv' | 'taps' {
  void xShape;
  return p.kernel.length === 2 && p.group === 1 ? 'taps' : 'conv';
}

/** Weight gradient of a Conv whose input is x and whose output gradient is g. */
export function weightGradient(c: GradContext, x: string, xShape: number[], g: string, gShape: number[], p: WindowParams, wShape: number[]): string {
  void wShape;
  const choice = c.options.weightGrad === 'auto' ? chooseFormulation(xShape, p) : c.options.weightGrad;
  if (choice === 'taps' || choice === 'tapmm') {
    const t = viaTaps(c, x, xShape, g, gShape, p, choice === 'tapmm');
    if (t) return t;
  }
  return viaConv(c, x, xShape, g, gShape, p);
}
