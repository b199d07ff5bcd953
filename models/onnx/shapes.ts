// Shape and element-type inference for the operators the builder emits. Pure functions: given the
// inputs' shapes (null = unknown), element types, constant values (for shape-like inputs such as
// Reshape's shape or Slice's starts) and the node's attributes, return each output's type and
// shape. Static where dims are known; symbolic dims (strings) pass through or become expressions.
// Inconsistent shapes (a channel mismatch, a non-broadcastable Add) throw with the op and shapes.
import { addDim, divDim, formatShape, mulDim, productDims, windowDim, type Dim, type Shape } from './dims';
import type { DecodedAttr } from './attributes';
import type { DType } from './proto';
import { tensorDims, tensorDType } from './tensor';

export interface InferInput {
  shape: Shape | null;
  dtype: DType;
  /** Values when the input is a constant or initializer (int64/int32/float as numbers). */
  constant: number[] | null;
}

export interface InferOutput {
  shape: Shape | null;
  dtype: DType;
}

export interface InferContext {
  opType: string;
  nodeName: string;
  inputs: (InferInput | null)[];
  attrs: Map<string, DecodedAttr>;
  outputCount: number;
  opset: number;
}

type Rule = (ctx: InferContext) => InferOutput[];

class ShapeError extends Error {}

function fail(ctx: InferContext, reason: string): never {
  const shapes = ctx.inputs.map((i) => (i ? formatShape(i.shape) : '-')).join(', ');
  throw new ShapeError(`${ctx.opType} node "${ctx.nodeName}": ${reason} (input shapes ${shapes})`);
}

function input(ctx: InferContext, i: number): InferInput | null {
  return ctx.inputs[i] ?? null;
}

function req(ctx: InferContext, i: number): InferInput {
  const v = input(ctx, i);
  if (!v) fail(ctx, `input ${i} is required`);
  return v;
}

function intAttr(ctx: InferContext, name: string, dflt: number): number {
  const v = ctx.attrs.get(name);
  return typeof v === 'number' ? v : dflt;
}

function intsAttr(ctx: InferContext, name: string): number[] | null {
  const v = ctx.attrs.get(name);
  return Array.isArray(v) && (v.length === 0 || typeof v[0] === 'number') ? (v as number[]) : null;
}

function strAttr(ctx: InferContext, name: string, dflt: string): string {
  const v = ctx.attrs.get(name);
  return typeof v === 'string' ? v : dflt;
}

function normAxis(ctx: InferContext, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) fail(ctx, `axis ${axis} out of range for rank ${rank}`);
  return a;
}

const same: Rule = (ctx) => {
  const x = req(ctx, 0);
  return [{ shape: x.shape, dtype: x.dtype }];
};

/** Numpy-style broadcasting of several shapes. */
export function broadcastShapes(shapes: (Shape | null)[], onError: (reason: string) => never): Shape | null {
  if (shapes.some((s) => s === null)) return null;
  const ss = shapes as Shape[];
  const rank = Math.max(...ss.map((s) => s.length));
  const out: Dim[] = [];
  for (let k = 0; k < rank; k++) {
    let d: Dim = 1;
    for (const s of ss) {
      const e = s[s.length - rank + k] ?? 1;
      if (e === 1) continue;
      if (d === 1) d = e;
      else if (typeof d === 'number' && typeof e === 'number' && d !== e) {
        onError(`shapes ${ss.map(formatShape).join(' and ')} do not broadcast`);
      } else if (typeof d === 'string' && typeof e === 'number') d = e;
    }
    out.push(d);
  }
  return out;
}

function broadcastRule(outDtype?: DType): Rule {
  return (ctx) => {
    const ins = ctx.inputs.filter((i): i is InferInput => i !== null);
    const shape = broadcastShapes(ins.map((i) => i.shape), (r) => fail(ctx, r));
    return [{ shape, dtype: outDtype ?? ins[0]?.dtype ?? 'float32' }];
  };
}

/** Spatial window parameters (Conv, pools) with auto_pad resolved. */
function windowOutput(ctx: InferContext, spatial: Dim[], kernel: number[]): Dim[] {
  const n = spatial.length;
  const strides = intsAttr(ctx, 'strides') ?? new Array<number>(n).fill(1);
  const dil = intsAttr(ctx, 'dilations') ?? new Array<number>(n).fill(1);
  const pads = intsAttr(ctx, 'pads') ?? new Array<number>(2 * n).fill(0);
  const autoPad = strAttr(ctx, 'auto_pad', 'NOTSET');
  const ceilMode = intAttr(ctx, 'ceil_mode', 0) === 1;
  return spatial.map((d, i) => {
    const s = strides[i] ?? 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return divDim(d, s, true);
    const total = autoPad === 'VALID' ? 0 : (pads[i] ?? 0) + (pads[i + n] ?? 0);
    return windowDim(d, kernel[i] ?? 1, s, total, dil[i] ?? 1, ceilMode);
  });
}

const conv: Rule = (ctx) => {
  const x = req(ctx, 0);
  const w = req(ctx, 1);
  const group = intAttr(ctx, 'group', 1);
  if (!x.shape || !w.shape) return [{ shape: null, dtype: x.dtype }];
  if (w.shape.length !== x.shape.length) fail(ctx, `weight rank ${w.shape.length} differs from input rank ${x.shape.length}`);
  const cin = x.shape[1];
  const wc = w.shape[1];
  if (typeof cin === 'number' && typeof wc === 'number' && cin !== wc * group) {
    fail(ctx, `input has ${cin} channels but weight expects ${wc} x group ${group}`);
  }
  const kernel = intsAttr(ctx, 'kernel_shape') ?? w.shape.slice(2).map((d) => (typeof d === 'number' ? d : 1));
  const b = input(ctx, 2);
  if (b?.shape && b.shape.length === 1 && typeof b.shape[0] === 'number' && typeof w.shape[0] === 'number' && b.shape[0] !== w.shape[0]) {
    fail(ctx, `bias has ${b.shape[0]} values for ${w.shape[0]} output channels`);
  }
  const spatial = windowOutput(ctx, x.shape.slice(2), kernel);
  return [{ shape: [x.shape[0] ?? 1, w.shape[0] ?? 1, ...spatial], dtype: x.dtype }];
};

const convTranspose: Rule = (ctx) => {
  const x = req(ctx, 0);
  const w = req(ctx, 1);
  const group = intAttr(ctx, 'group', 1);
  if (!x.shape || !w.shape) return [{ shape: null, dtype: x.dtype }];
  const cin = x.shape[1];
  if (typeof cin === 'number' && typeof w.shape[0] === 'number' && cin !== w.shape[0]) {
    fail(ctx, `input has ${cin} channels but weight expects ${w.shape[0]}`);
  }
  const cout = typeof w.shape[1] === 'number' ? w.shape[1] * group : w.shape[1] ?? 1;
  const spatialIn = x.shape.slice(2);
  const n = spatialIn.length;
  const outputShape = intsAttr(ctx, 'output_shape');
  if (outputShape) return [{ shape: [x.shape[0] ?? 1, cout, ...outputShape.slice(-n)], dtype: x.dtype }];
  const kernel = intsAttr(ctx, 'kernel_shape') ?? w.shape.slice(2).map((d) => (typeof d === 'number' ? d : 1));
  const strides = intsAttr(ctx, 'strides') ?? new Array<number>(n).fill(1);
  const dil = intsAttr(ctx, 'dilations') ?? new Array<number>(n).fill(1);
  const pads = intsAttr(ctx, 'pads') ?? new Array<number>(2 * n).fill(0);
  const outPad = intsAttr(ctx, 'output_padding') ?? new Array<number>(n).fill(0);
  const autoPad = strAttr(ctx, 'auto_pad', 'NOTSET');
  const spatial = spatialIn.map((d, i) => {
    const s = strides[i] ?? 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return mulDim(d, s);
    const k = ((kernel[i] ?? 1) - 1) * (dil[i] ?? 1) + 1;
    const total = autoPad === 'VALID' ? 0 : (pads[i] ?? 0) + (pads[i + n] ?? 0);
    // s*(d-1) + outPad + k - pads  ==  s*d + (outPad + k - pads - s)
    return addDim(mulDim(d, s), (outPad[i] ?? 0) + k - total - s);
  });
  return [{ shape: [x.shape[0] ?? 1, cout, ...spatial], dtype: x.dtype }];
};

const pool: Rule = (ctx) => {
  const x = req(ctx, 0);
  if (!x.shape) return [{ shape: null, dtype: x.dtype }];
  const kernel = intsAttr(ctx, 'kernel_shape');
  if (!kernel) fail(ctx, 'kernel_shape attribute is required');
  return [{ shape: [...x.shape.slice(0, 2), ...windowOutput(ctx, x.shape.slice(2), kernel)], dtype: x.dtype }];
};

const globalPool: Rule = (ctx) => {
  const x = req(ctx, 0);
  return [{ shape: x.shape ? [...x.shape.slice(0, 2), ...x.shape.slice(2).map(() => 1)] : null, dtype: x.dtype }];
};

const concat: Rule = (ctx) => {
  const ins = ctx.inputs.filter((i): i is InferInput => i !== null);
  const dtype = ins[0]?.dtype ?? 'float32';
  if (ins.some((i) => i.shape === null) || ins.length === 0) return [{ shape: null, dtype }];
  const shapes = ins.map((i) => i.shape as Shape);
  const first = shapes[0] as Shape;
  const axis = normAxis(ctx, intAttr(ctx, 'axis', 0), first.length);
  let total: Dim = 0;
  const out = [...first];
  for (const s of shapes) {
    if (s.length !== first.length) fail(ctx, 'inputs differ in rank');
    s.forEach((d, k) => {
      if (k === axis) return;
      const o = out[k] as Dim;
      if (typeof d === 'number' && typeof o === 'number' && d !== o) fail(ctx, `inputs differ in dimension ${k} (${o} vs ${d})`);
      if (typeof o === 'string' && typeof d === 'number') out[k] = d;
    });
    const d = s[axis] as Dim;
    total = typeof total === 'number' && typeof d === 'number' ? total + d : productSum(total, d);
  }
  out[axis] = total;
  return [{ shape: out, dtype }];
};

function productSum(a: Dim, b: Dim): Dim {
  if (a === 0) return b;
  return `${String(a)}+${String(b)}`;
}

const split: Rule = (ctx) => {
  const x = req(ctx, 0);
  if (!x.shape) return new Array<InferOutput>(ctx.outputCount).fill({ shape: null, dtype: x.dtype });
  const axis = normAxis(ctx, intAttr(ctx, 'axis', 0), x.shape.length);
  const splitInput = input(ctx, 1);
  const sizes = splitInput?.constant ?? intsAttr(ctx, 'split');
  const d = x.shape[axis] as Dim;
  let parts: Dim[];
  if (sizes && sizes.length > 0) {
    if (sizes.length !== ctx.outputCount) fail(ctx, `split has ${sizes.length} sizes for ${ctx.outputCount} outputs`);
    if (typeof d === 'number' && sizes.reduce((a, b) => a + b, 0) !== d) fail(ctx, `split sizes [${sizes.join(', ')}] do not add up to ${d}`);
    parts = sizes;
  } else {
    if (typeof d === 'number' && d % ctx.outputCount !== 0) fail(ctx, `dimension ${d} does not split evenly into ${ctx.outputCount}`);
    parts = new Array<Dim>(ctx.outputCount).fill(divDim(d, ctx.outputCount));
  }
  return parts.map((p) => {
    const s = [...(x.shape as Shape)];
    s[axis] = p;
    return { shape: s, dtype: x.dtype };
  });
};

const slice: Rule = (ctx) => {
  const x = req(ctx, 0);
  const starts = input(ctx, 1)?.constant;
  const ends = input(ctx, 2)?.constant;
  if (!x.shape || !starts || !ends) return [{ shape: x.shape ? x.shape.map((_, k) => `slice${k}`) : null, dtype: x.dtype }];
  const rank = x.shape.length;
  const axes = input(ctx, 3)?.constant ?? starts.map((_, i) => i);
  const steps = input(ctx, 4)?.constant ?? starts.map(() => 1);
  const out = [...x.shape];
  axes.forEach((axRaw, i) => {
    const ax = normAxis(ctx, axRaw, rank);
    const d = x.shape?.[ax] as Dim;
    const step = steps[i] ?? 1;
    if (step === 0) fail(ctx, 'slice step 0');
    let st = starts[i] ?? 0;
    let en = ends[i] ?? 0;
    if (typeof d !== 'number') {
      out[ax] = symbolicSliceDim(d, st, en, step);
      return;
    }
    if (st < 0) st += d;
    if (en < 0) en += d;
    if (step > 0) {
      st = Math.min(Math.max(st, 0), d);
      en = Math.min(Math.max(en, 0), d);
      out[ax] = Math.max(0, Math.ceil((en - st) / step));
    } else {
      st = Math.min(Math.max(st, -1), d - 1);
      en = Math.min(Math.max(en, -1), d - 1);
      out[ax] = Math.max(0, Math.ceil((en - st) / step));
    }
  });
  return [{ shape: out, dtype: x.dtype }];
};

const BIG = 2 ** 31 - 1;

/**
 * Slice length along a symbolic dim d. Starts and ends are written as a*d + b (a = 0 or 1);
 * non-negative indices are assumed to lie inside the dim.
 */
function symbolicSliceDim(d: string, start: number, end: number, step: number): Dim {
  const [sa, sb] = step > 0
    ? (start < 0 ? [1, start] : [0, start])
    : (start >= BIG ? [1, -1] : start < 0 ? [1, start] : [0, start]);
  const [ea, eb] = step > 0
    ? (end >= BIG ? [1, 0] : end < 0 ? [1, end] : [0, end])
    : (end <= -BIG ? [0, -1] : end < 0 ? [1, end] : [0, end]);
  // length = ceil((E - S) / step) for step > 0, ceil((S - E) / -step) for step < 0
  const sign = step > 0 ? 1 : -1;
  const a = sign * (ea - sa);
  const b = sign * (eb - sb);
  const k = Math.abs(step);
  if (a === 0) return Math.max(0, Math.ceil(b / k));
  if (a === 1) return k === 1 ? addDim(d, b) : divDim(addDim(d, b), k, true);
  return `slice(${d})`;
}

const reshape: Rule = (ctx) => {
  const x = req(ctx, 0);
  const target = input(ctx, 1)?.constant;
  if (!target) return [{ shape: null, dtype: x.dtype }];
  const allowZero = intAttr(ctx, 'allowzero', 0) === 1;
  const out: Dim[] = target.map((t, i) => (t === 0 && !allowZero ? (x.shape?.[i] ?? `d${i}`) : t));
  const neg = out.indexOf(-1);
  if (neg >= 0) {
    if (!x.shape) out[neg] = 'reshape';
    else {
      const total = productDims(x.shape);
      const rest = productDims(out.filter((_, i) => i !== neg));
      if (typeof total === 'number' && typeof rest === 'number') {
        if (rest === 0 || total % rest !== 0) fail(ctx, `cannot reshape ${total} elements to [${target.join(', ')}]`);
        out[neg] = total / rest;
      } else if (typeof rest === 'number') out[neg] = rest === 1 ? total : `(${String(total)})/${rest}`;
      else out[neg] = `(${String(total)})/(${String(rest)})`;
    }
  } else if (x.shape) {
    const total = productDims(x.shape);
    const got = productDims(out);
    if (typeof total === 'number' && typeof got === 'number' && total !== got) {
      fail(ctx, `cannot reshape ${total} elements to [${target.join(', ')}]`);
    }
  }
  return [{ shape: out, dtype: x.dtype }];
};

const transpose: Rule = (ctx) => {
  const x = req(ctx, 0);
  if (!x.shape) return [{ shape: null, dtype: x.dtype }];
  const rank = x.shape.length;
  const perm = intsAttr(ctx, 'perm') ?? x.shape.map((_, i) => rank - 1 - i);
  if (perm.length !== rank) fail(ctx, `perm [${perm.join(', ')}] does not match rank ${rank}`);
  return [{ shape: perm.map((p) => x.shape?.[p] as Dim), dtype: x.dtype }];
};

const depthToSpace: Rule = (ctx) => {
  const x = req(ctx, 0);
  const b = intAttr(ctx, 'blocksize', 0);
  if (b <= 0) fail(ctx, 'blocksize attribute is required');
  if (!x.shape) return [{ shape: null, dtype: x.dtype }];
  const [n, c, h, w] = x.shape as [Dim, Dim, Dim, Dim];
  if (typeof c === 'number' && c % (b * b) !== 0) fail(ctx, `${c} channels are not divisible by blocksize^2 = ${b * b}`);
  return [{ shape: [n, divDim(c, b * b), mulDim(h, b), mulDim(w, b)], dtype: x.dtype }];
};

const spaceToDepth: Rule = (ctx) => {
  const x = req(ctx, 0);
  const b = intAttr(ctx, 'blocksize', 0);
  if (b <= 0) fail(ctx, 'blocksize attribute is required');
  if (!x.shape) return [{ shape: null, dtype: x.dtype }];
  const [n, c, h, w] = x.shape as [Dim, Dim, Dim, Dim];
  for (const d of [h, w]) if (typeof d === 'number' && d % b !== 0) fail(ctx, `spatial size ${d} is not divisible by blocksize ${b}`);
  return [{ shape: [n, mulDim(c, b * b), divDim(h, b), divDim(w, b)], dtype: x.dtype }];
};

const resize: Rule = (ctx) => {
  const x = req(ctx, 0);
  if (!x.shape) return [{ shape: null, dtype: x.dtype }];
  const scales = input(ctx, 2)?.constant;
  const sizes = input(ctx, 3)?.constant;
  if (sizes && sizes.length > 0) return [{ shape: sizes, dtype: x.dtype }];
  if (!scales || scales.length === 0) return [{ shape: x.shape.map((d, k) => (k < 2 ? d : `resize${k}`)), dtype: x.dtype }];
  if (scales.length !== x.shape.length) fail(ctx, `${scales.length} scales for rank ${x.shape.length}`);
  return [{
    shape: x.shape.map((d, k) => {
      const s = scales[k] ?? 1;
      if (typeof d === 'number') return Math.floor(d * s);
      if (Number.isInteger(s)) return mulDim(d, s);
      if (Number.isInteger(1 / s)) return divDim(d, 1 / s);
      return `floor(${d}*${s})`;
    }),
    dtype: x.dtype,
  }];
};

function reduceAxes(ctx: InferContext, rank: number): number[] | null {
  const fromInput = input(ctx, 1)?.constant;
  const axes = fromInput ?? intsAttr(ctx, 'axes');
  if (!axes || axes.length === 0) {
    return intAttr(ctx, 'noop_with_empty_axes', 0) === 1 ? [] : Array.from({ length: rank }, (_, i) => i);
  }
  return axes.map((a) => normAxis(ctx, a, rank));
}

const reduce: Rule = (ctx) => {
  const x = req(ctx, 0);
  if (!x.shape) return [{ shape: null, dtype: x.dtype }];
  const axes = reduceAxes(ctx, x.shape.length);
  if (!axes) return [{ shape: null, dtype: x.dtype }];
  const keep = intAttr(ctx, 'keepdims', 1) === 1;
  const out: Dim[] = [];
  x.shape.forEach((d, k) => {
    if (!axes.includes(k)) out.push(d);
    else if (keep) out.push(1);
  });
  return [{ shape: out, dtype: x.dtype }];
};

const pad: Rule = (ctx) => {
  const x = req(ctx, 0);
  const pads = input(ctx, 1)?.constant;
  const mode = strAttr(ctx, 'mode', 'constant');
  if (!['constant', 'reflect', 'edge', 'wrap'].includes(mode)) fail(ctx, `unknown pad mode "${mode}"`);
  if (!x.shape || !pads) return [{ shape: null, dtype: x.dtype }];
  const rank = x.shape.length;
  const axes = input(ctx, 3)?.constant?.map((a) => normAxis(ctx, a, rank)) ?? x.shape.map((_, i) => i);
  if (pads.length !== 2 * axes.length) fail(ctx, `${pads.length} pads for ${axes.length} axes (2 per axis expected)`);
  const out = [...x.shape];
  axes.forEach((ax, i) => {
    const d = out[ax] as Dim;
    const before = pads[i] ?? 0;
    const after = pads[i + axes.length] ?? 0;
    if (mode === 'reflect' && typeof d === 'number' && (before >= d || after >= d)) {
      fail(ctx, `reflect padding ${Math.max(before, after)} needs a dimension larger than ${d}`);
    }
    out[ax] = addDim(d, before + after);
  });
  return [{ shape: out, dtype: x.dtype }];
};

const matmul: Rule = (ctx) => {
  const a = req(ctx, 0);
  const b = req(ctx, 1);
  if (!a.shape || !b.shape) return [{ shape: null, dtype: a.dtype }];
  const as = a.shape.length === 1 ? [1, ...a.shape] : a.shape;
  const bs = b.shape.length === 1 ? [...b.shape, 1] : b.shape;
  const k1 = as[as.length - 1] as Dim;
  const k2 = bs[bs.length - 2] as Dim;
  if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2) fail(ctx, `inner dimensions ${k1} and ${k2} differ`);
  const batch = broadcastShapes([as.slice(0, -2), bs.slice(0, -2)], (r) => fail(ctx, r)) ?? [];
  const out: Dim[] = [...batch];
  if (a.shape.length > 1) out.push(as[as.length - 2] as Dim);
  if (b.shape.length > 1) out.push(bs[bs.length - 1] as Dim);
  return [{ shape: out, dtype: a.dtype }];
};

const gemm: Rule = (ctx) => {
  const a = req(ctx, 0);
  const b = req(ctx, 1);
  if (!a.shape || !b.shape) return [{ shape: null, dtype: a.dtype }];
  const m = intAttr(ctx, 'transA', 0) ? a.shape[1] : a.shape[0];
  const n = intAttr(ctx, 'transB', 0) ? b.shape[0] : b.shape[1];
  return [{ shape: [m as Dim, n as Dim], dtype: a.dtype }];
};

const cast: Rule = (ctx) => {
  const x = req(ctx, 0);
  const to = intAttr(ctx, 'to', 1);
  const map: Record<number, DType> = { 1: 'float32', 7: 'int64', 6: 'int32', 9: 'bool' };
  const dtype = map[to];
  if (!dtype) fail(ctx, `cast to element type ${to} is not supported`);
  return [{ shape: x.shape, dtype }];
};

const shapeOp: Rule = (ctx) => {
  const x = req(ctx, 0);
  return [{ shape: x.shape ? [x.shape.length] : null, dtype: 'int64' }];
};

const unsqueeze: Rule = (ctx) => {
  const x = req(ctx, 0);
  const axes = input(ctx, 1)?.constant ?? intsAttr(ctx, 'axes');
  if (!x.shape || !axes) return [{ shape: null, dtype: x.dtype }];
  const rank = x.shape.length + axes.length;
  const norm = axes.map((a) => normAxis(ctx, a, rank));
  const out: Dim[] = [];
  let j = 0;
  for (let k = 0; k < rank; k++) out.push(norm.includes(k) ? 1 : (x.shape[j++] as Dim));
  return [{ shape: out, dtype: x.dtype }];
};

const squeeze: Rule = (ctx) => {
  const x = req(ctx, 0);
  const axes = input(ctx, 1)?.constant ?? intsAttr(ctx, 'axes');
  if (!x.shape) return [{ shape: null, dtype: x.dtype }];
  const rank = x.shape.length;
  const norm = axes ? axes.map((a) => normAxis(ctx, a, rank)) : x.shape.flatMap((d, k) => (d === 1 ? [k] : []));
  return [{ shape: x.shape.filter((_, k) => !norm.includes(k)), dtype: x.dtype }];
};

const expand: Rule = (ctx) => {
  const x = req(ctx, 0);
  const target = input(ctx, 1)?.constant;
  if (!target) return [{ shape: null, dtype: x.dtype }];
  return [{ shape: broadcastShapes([x.shape, target], (r) => fail(ctx, r)), dtype: x.dtype }];
};

const where: Rule = (ctx) => {
  const ins = [req(ctx, 0), req(ctx, 1), req(ctx, 2)];
  return [{ shape: broadcastShapes(ins.map((i) => i.shape), (r) => fail(ctx, r)), dtype: ins[1]?.dtype ?? 'float32' }];
};

/** Constant: the shape and type of its value (tensor, or value_float(s) / value_int(s)). */
const constantOp: Rule = (ctx) => {
  const t = ctx.attrs.get('value');
  if (t && typeof t === 'object' && !Array.isArray(t)) {
    return [{ shape: tensorDims(t), dtype: tensorDType(t) }];
  }
  const f = ctx.attrs.get('value_float');
  const i = ctx.attrs.get('value_int');
  if (typeof f === 'number') return [{ shape: [], dtype: 'float32' }];
  if (typeof i === 'number') return [{ shape: [], dtype: 'int64' }];
  const fs = ctx.attrs.get('value_floats');
  const is = ctx.attrs.get('value_ints');
  if (Array.isArray(fs)) return [{ shape: [fs.length], dtype: 'float32' }];
  if (Array.isArray(is)) return [{ shape: [is.length], dtype: 'int64' }];
  return fail(ctx, 'no value attribute');
};

const UNARY = [
  'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Clip', 'Identity', 'Neg', 'Abs', 'Sqrt', 'Exp', 'Log', 'Reciprocal',
  'Sign', 'Floor', 'Ceil', 'Round', 'Erf', 'Elu', 'Selu', 'HardSigmoid', 'Softplus', 'Not', 'Dropout',
];
const BROADCAST = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'PRelu'];
const COMPARE = ['Greater', 'Less', 'Equal', 'GreaterOrEqual', 'LessOrEqual', 'And', 'Or'];

const RULES: Record<string, Rule> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  AveragePool: pool,
  MaxPool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  Concat: concat,
  Split: split,
  Slice: slice,
  Reshape: reshape,
  Transpose: transpose,
  DepthToSpace: depthToSpace,
  SpaceToDepth: spaceToDepth,
  Resize: resize,
  ReduceMean: reduce,
  ReduceSum: reduce,
  ReduceMax: reduce,
  ReduceMin: reduce,
  ReduceSumSquare: reduce,
  ReduceL2: reduce,
  Pad: pad,
  MatMul: matmul,
  Gemm: gemm,
  Cast: cast,
  Shape: shapeOp,
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  Expand: expand,
  Where: where,
  Softmax: same,
  Constant: constantOp,
  ...Object.fromEntries(UNARY.map((op) => [op, same])),
  ...Object.fromEntries(BROADCAST.map((op) => [op, broadcastRule()])),
  ...Object.fromEntries(COMPARE.map((op) => [op, broadcastRule('bool')])),
};

/** Operators with a shape rule; others get unknown output shapes. */
export function hasShapeRule(opType: string): boolean {
  return opType in RULES;
}

/** Infers the outputs of one node; unknown operators give unknown shapes of the first input's type. */
export function inferShapes(ctx: InferContext): InferOutput[] {
  const rule = RULES[ctx.opType];
  if (!rule) {
    const dtype = ctx.inputs.find((i) => i !== null)?.dtype ?? 'float32';
    return new Array<InferOutput>(ctx.outputCount).fill({ shape: null, dtype });
  }
  const out = rule(ctx);
  if (out.length < ctx.outputCount) {
    // Optional extra outputs (e.g. Dropout's mask) get unknown shapes.
    return [...out, ...new Array<InferOutput>(ctx.outputCount - out.length).fill({ shape: null, dtype: out[0]?.dtype ?? 'float32' })];
  }
  return out.slice(0, ctx.outputCount);
}
