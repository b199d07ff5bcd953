// Gradients of data-movement operators: Concat, Split, Slice, Reshape (and Flatten, Squeeze,
// Unsqueeze), Transpose, DepthToSpace, SpaceToDepth and constant-mode Pad. Each gradient is the
// adjoint movement (split <-> concat, slice <-> pad, permutation <-> inverse permutation).
import { AutodiffError, attrInt, attrInts, attrString, type GradContext, type GradRule } from './types';

const gy = (c: GradContext): string | null => c.gradOut[0] ?? null;

function normAxis(a: number, rank: number): number {
  return a < 0 ? a + rank : a;
}

const concat: GradRule = (c) => {
  const g = gy(c);
  const out: (string | null)[] = c.inputs.map(() => null);
  if (!g) return out;
  const e = c.emit;
  const rank = c.shape(c.outputs[0] as string).length;
  const axis = normAxis(attrInt(c, 'axis', 0), rank);
  const sizes = c.inputs.map((x) => c.shape(x)[axis] ?? 0);
  const parts = e.op('Split', [g, e.i64(sizes)], { axis }, sizes.length, 'concat_grad');
  return parts.map((p, i) => (c.needs[i] ? p : null));
};

const split: GradRule = (c) => {
  const out: (string | null)[] = c.inputs.map(() => null);
  if (c.gradOut.every((g) => !g)) return out;
  const e = c.emit;
  const rank = c.shape(c.inputs[0] as string).length;
  const axis = normAxis(attrInt(c, 'axis', 0), rank);
  const parts = c.outputs.map((o, i) => c.gradOut[i] ?? e.zeros(c.shape(o)));
  out[0] = parts.length === 1 ? parts[0] as string : e.op1('Concat', parts, { axis }, 'split_grad');
  return out;
};

/** Normalised [start, end) and step per axis, following ONNX Slice's clamping rules. */
function sliceRanges(c: GradContext, xShape: number[]): { axis: number; start: number; step: number; count: number }[] {
  const legacy = c.opset < 10;
  const starts = legacy ? attrInts(c, 'starts', []) : c.ints(c.inputs[1] as string);
  const ends = legacy ? attrInts(c, 'ends', []) : c.ints(c.inputs[2] as string);
  const axes = legacy ? attrInts(c, 'axes', starts.map((_, i) => i)) : (c.inputs[3] ? c.ints(c.inputs[3]) : starts.map((_, i) => i));
  const steps = !legacy && c.inputs[4] ? c.ints(c.inputs[4]) : starts.map(() => 1);
  return axes.map((a0, i) => {
    const axis = normAxis(a0, xShape.length);
    const dim = xShape[axis] ?? 0;
    const step = steps[i] ?? 1;
    let s = starts[i] ?? 0, en = ends[i] ?? dim;
    if (s < 0) s += dim;
    if (en < 0) en += dim;
    if (step > 0) {
      s = Math.min(Math.max(s, 0), dim);
      en = Math.min(Math.max(en, 0), dim);
    } else {
      s = Math.min(Math.max(s, 0), dim - 1);
      en = Math.min(Math.max(en, -1), dim - 1);
    }
    const count = Math.max(0, Math.ceil((en - s) / step));
    return { axis, start: s, step, count };
  });
}

const slice: GradRule = (c) => {
  const g = gy(c);
  const out: (string | null)[] = c.inputs.map(() => null);
  if (!g || !c.needs[0]) return out;
  const e = c.emit;
  const xShape = c.shape(c.inputs[0] as string);
  const cur = [...c.shape(c.outputs[0] as string)];
  let t = g;
  const pads = Array(2 * xShape.length).fill(0);
  for (const r of sliceRanges(c, xShape)) {
    const dim = xShape[r.axis] ?? 0;
    if (r.step === 1) {
      pads[r.axis] = r.start;
      pads[r.axis + xShape.length] = dim - r.start - r.count;
      continue;
    }
    // Strided or reversed axis: scatter the rows back to their source positions.
    const idxShape = cur.map((_, i) => (i === r.axis ? r.count : 1));
    const idx = e.i64(Array.from({ length: r.count }, (_, k) => r.start + k * r.step), idxShape);
    const full = e.op1('Expand', [idx, e.i64(cur)]);
    const target = cur.map((d, i) => (i === r.axis ? dim : d));
    t = e.op1('ScatterElements', [e.zeros(target), full, t], { axis: r.axis }, 'slice_scatter');
    cur[r.axis] = dim;
  }
  out[0] = pads.some((p) => p !== 0) ? e.op1('Pad', [t, e.i64(pads)], {}, 'slice_grad') : t;
  return out;
};

const reshapeLike: GradRule = (c) => {
  const g = gy(c);
  const out: (string | null)[] = c.inputs.map(() => null);
  if (!g || !c.needs[0]) return out;
  out[0] = c.emit.op1('Reshape', [g, c.emit.i64(c.shape(c.inputs[0] as string))], {}, 'reshape_grad');
  return out;
};

const transpose: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null];
  const rank = c.shape(c.inputs[0] as string).length;
  const perm = attrInts(c, 'perm', Array.from({ length: rank }, (_, i) => rank - 1 - i));
  const inv = Array(rank).fill(0);
  perm.forEach((p, i) => { inv[p] = i; });
  return [c.emit.op1('Transpose', [g], { perm: inv }, 'transpose_grad')];
};

const depthToSpace: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null];
  const e = c.emit;
  const b = attrInt(c, 'blocksize', 1);
  if (attrString(c, 'mode', 'DCR') === 'DCR') return [e.op1('SpaceToDepth', [g], { blocksize: b }, 'd2s_grad')];
  const [n, cb, h, w] = c.shape(c.inputs[0] as string) as [number, number, number, number];
  const ch = cb / (b * b);
  const r = e.op1('Reshape', [g, e.i64([n, ch, h, b, w, b])]);
  const t = e.op1('Transpose', [r], { perm: [0, 1, 3, 5, 2, 4] });
  return [e.op1('Reshape', [t, e.i64([n, cb, h, w])], {}, 'd2s_grad')];
};

const spaceToDepth: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null];
  return [c.emit.op1('DepthToSpace', [g], { blocksize: attrInt(c, 'blocksize', 1), mode: 'DCR' }, 's2d_grad')];
};

/** Pad in constant mode: the gradient is the un-padded window (reflect/edge: see sampling.ts). */
export function constantPadGrad(c: GradContext, g: string, pads: number[]): string {
  const e = c.emit;
  const xShape = c.shape(c.inputs[0] as string);
  let t = g;
  const neg = pads.map((p) => Math.max(0, -p));
  if (neg.some((p) => p > 0)) t = e.op1('Pad', [t, e.i64(neg)]);
  const starts = xShape.map((_, i) => Math.max(0, pads[i] ?? 0));
  const ends = xShape.map((d, i) => (starts[i] ?? 0) + d);
  const axes = xShape.map((_, i) => i);
  if (pads.every((p) => p === 0)) return t;
  return e.op1('Slice', [t, e.i64(starts), e.i64(ends), e.i64(axes)], {}, 'pad_grad');
}

/** Full per-axis pads [begin..., end...] of a Pad node (pads attribute before opset 11, input after). */
export function padAmounts(c: GradContext): number[] {
  const rank = c.shape(c.inputs[0] as string).length;
  const raw = c.opset < 11 ? attrInts(c, 'pads', []) : c.ints(c.inputs[1] as string);
  const axesName = c.opset >= 18 ? c.inputs[3] : undefined;
  if (!axesName) return raw;
  const axes = c.ints(axesName).map((a) => normAxis(a, rank));
  const full = Array(2 * rank).fill(0);
  axes.forEach((a, i) => {
    full[a] = raw[i] ?? 0;
    full[a + rank] = raw[i + axes.length] ?? 0;
  });
  return full;
}

const pad: GradRule = (c) => {
  const g = gy(c);
  const out: (string | null)[] = c.inputs.map(() => null);
  if (!g || !c.needs[0]) return out;
  const mode = attrString(c, 'mode', 'constant');
  if (mode !== 'constant') throw new AutodiffError(c.node, `internal: ${mode} pad handled elsewhere`);
  out[0] = constantPadGrad(c, g, padAmounts(c));
  return out;
};

export const layoutRules: Record<string, GradRule> = {
  Concat: concat, Split: split, Slice: slice, Reshape: reshapeLike, Flatten: reshapeLike, Squeeze: reshapeLike,
  Unsqueeze: reshapeLike, Transpose: transpose, DepthToSpace: depthToSpace, SpaceToDepth: spaceToDepth, Pad: pad,
};
