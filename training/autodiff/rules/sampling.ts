// Gradients of resampling and pooling operators: Resize (nearest, linear, cubic), AveragePool,
// GlobalAveragePool, ReduceMean, ReduceSum and reflect/edge Pad. Resize and non-constant Pad are
// separable linear maps along the two last axes; their 1-D matrices are read from ONNX Runtime
// itself (resampling an identity matrix with the node's own attributes), so the adjoint matches the
// forward kernel exactly in every coordinate-transformation mode. Integer nearest upsampling takes a
// fast path (reshape + sum over each block).
import * as ort from 'onnxruntime-node';
import { onnx } from '../../../models/onnx/proto';
import { serializeModel } from '../../../models/onnx/serialize';
import { makeTensor } from '../../../models/onnx/tensor';
import { constantPadGrad, padAmounts } from './layout';
import { product } from './helpers';
import { AutodiffError, attrInt, attrInts, attrString, type GradContext, type GradRule } from './types';

const gy = (c: GradContext): string | null => c.gradOut[0] ?? null;

/** Runs a one-node model on an n x n identity and returns the (n x m) result: row i = op(e_i). */
async function probeAxis(node: onnx.INodeProto, extraInputs: onnx.ITensorProto[], n: number, opset: number): Promise<{ data: Float32Array; m: number }> {
  const model: onnx.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'probe',
      node: [{ ...node, name: 'probe', output: ['y'], input: ['x', ...extraInputs.map((t) => t.name ?? '')] }],
      initializer: extraInputs.filter((t) => t.name),
      input: [{ name: 'x', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [1, 1, n, n].map((d) => ({ dimValue: d })) } } } }],
      output: [{ name: 'y' }],
    },
  };
  const eye = new Float32Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  const session = await ort.InferenceSession.create(serializeModel(model));
  try {
    const out = await session.run({ x: new ort.Tensor('float32', eye, [1, 1, n, n]) });
    const y = out.y as ort.Tensor;
    return { data: Float32Array.from(y.data as Float32Array), m: y.dims[3] ?? 0 };
  } finally {
    await session.release();
  }
}

/** True when matrix P (n x m) is integer-factor block replication (P[i, o] = [floor(o / f) == i]). */
function blockFactor(p: Float32Array, n: number, m: number): number | null {
  if (m % n !== 0) return null;
  const f = m / n;
  for (let i = 0; i < n; i++) for (let o = 0; o < m; o++) if (p[i * m + o] !== (Math.floor(o / f) === i ? 1 : 0)) return null;
  return f;
}

/** Applies the adjoint of y = P_h^T x P_w (per image) to g; a null matrix leaves that axis alone. */
function separableAdjoint(c: GradContext, g: string, mats: ({ p: Float32Array; n: number; m: number } | null)[]): string {
  const e = c.emit;
  const [ph, pw] = mats;
  const gShape = c.shape(c.outputs[0] as string);
  const rank = gShape.length;
  const fh = ph ? blockFactor(ph.p, ph.n, ph.m) : 1;
  const fw = pw ? blockFactor(pw.p, pw.n, pw.m) : 1;
  if (fh !== null && fw !== null) {
    const lead = gShape.slice(0, rank - 2);
    const ho = gShape[rank - 2] ?? 0, wo = gShape[rank - 1] ?? 0;
    const r = e.op1('Reshape', [g, e.i64([...lead, ho / fh, fh, wo / fw, fw])]);
    const s = e.op1('ReduceSum', [r, e.i64([rank - 1, rank + 1])], { keepdims: 0 }, 'resize_grad');
    return s;
  }
  let t = g;
  if (pw) t = e.op1('MatMul', [t, e.f32(transpose(pw.p, pw.n, pw.m), [pw.m, pw.n])]);
  if (ph) t = e.op1('MatMul', [e.f32(ph.p, [ph.n, ph.m]), t], {}, 'resize_grad');
  return t;
}

function transpose(p: Float32Array, n: number, m: number): Float32Array {
  const t = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let o = 0; o < m; o++) t[o * n + i] = p[i * m + o] as number;
  return t;
}

const resize: GradRule = async (c) => {
  const g = gy(c);
  const out: (string | null)[] = c.inputs.map(() => null);
  if (!g || !c.needs[0]) return out;
  if (attrInt(c, 'antialias', 0) !== 0) throw new AutodiffError(c.node, 'antialias is not supported');
  if (c.attrs.has('axes')) throw new AutodiffError(c.node, 'the axes attribute is not supported');
  if (attrString(c, 'coordinate_transformation_mode', 'half_pixel') === 'tf_crop_and_resize') {
    throw new AutodiffError(c.node, 'tf_crop_and_resize is not supported');
  }
  const xShape = c.shape(c.inputs[0] as string);
  const yShape = c.shape(c.outputs[0] as string);
  const rank = xShape.length;
  for (let i = 0; i < rank - 2; i++) {
    if (xShape[i] !== yShape[i]) throw new AutodiffError(c.node, 'only the two last axes may be resized');
  }
  const scalesName = c.opset >= 11 ? c.inputs[2] : c.inputs[1];
  const scales = scalesName ? c.floats(scalesName) : null;
  const attrs = (c.node.attribute ?? []).filter((a) => a.name !== 'axes');
  const mats = await Promise.all([rank - 2, rank - 1].map(async (ax) => {
    const n = xShape[ax] ?? 0, m = yShape[ax] ?? 0;
    const s = scales && scales.length === rank ? scales[ax] ?? 1 : m / n;
    if (n === m && s === 1) return null;
    const extra: onnx.ITensorProto[] = [];
    const useSizes = !(scales && scales.length === rank);
    if (c.opset >= 11) extra.push(makeTensor('roi', new Float32Array(0), [0]));
    if (useSizes) {
      extra.push(makeTensor('', new Float32Array(0), [0]));
      extra.push(makeTensor('sizes', BigInt64Array.from([1n, 1n, BigInt(n), BigInt(m)]), [4]));
    } else extra.push(makeTensor('scales', Float32Array.from([1, 1, 1, s]), [4]));
    const node: onnx.INodeProto = { opType: 'Resize', attribute: attrs };
    const { data, m: got } = await probeAxis(node, extra, n, c.opset);
    if (got !== m) throw new AutodiffError(c.node, `probing axis ${ax} gave ${got} samples, expected ${m}`);
    return { p: data, n, m };
  }));
  out[0] = separableAdjoint(c, g, mats);
  return out;
};

/** Reflect/edge Pad on the two last axes as a separable linear map. */
const pad: GradRule = async (c) => {
  const g = gy(c);
  const out: (string | null)[] = c.inputs.map(() => null);
  if (!g || !c.needs[0]) return out;
  const mode = attrString(c, 'mode', 'constant');
  const pads = padAmounts(c);
  if (mode === 'constant') {
    out[0] = constantPadGrad(c, g, pads);
    return out;
  }
  const xShape = c.shape(c.inputs[0] as string);
  const rank = xShape.length;
  if (pads.some((p, i) => p !== 0 && i % rank < rank - 2)) throw new AutodiffError(c.node, `${mode} padding is differentiable on the two last axes only`);
  const mats = await Promise.all([rank - 2, rank - 1].map(async (ax) => {
    const b = pads[ax] ?? 0, en = pads[ax + rank] ?? 0;
    if (b === 0 && en === 0) return null;
    const n = xShape[ax] ?? 0;
    const extra = [makeTensor('pads', BigInt64Array.from([0, 0, 0, b, 0, 0, 0, en].map(BigInt)), [8])];
    const node: onnx.INodeProto = { opType: 'Pad', attribute: [{ name: 'mode', type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(mode) }] };
    const { data, m } = await probeAxis(node, extra, n, Math.max(c.opset, 11));
    return { p: data, n, m };
  }));
  out[0] = separableAdjoint(c, g, mats);
  return out;
};

/** 1-D divisor of an average-pooling window at each output position. */
function poolCounts(inD: number, outD: number, k: number, s: number, pb: number, pe: number, includePad: boolean): number[] {
  return Array.from({ length: outD }, (_, o) => {
    const start = o * s - pb;
    const end = Math.min(start + k, inD + pe);
    return includePad ? end - start : Math.min(end, inD) - Math.max(start, 0);
  });
}

const averagePool: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null];
  const e = c.emit;
  const xShape = c.shape(c.inputs[0] as string);
  const yShape = c.shape(c.outputs[0] as string);
  const kernel = attrInts(c, 'kernel_shape', []);
  const r = kernel.length;
  if (attrInts(c, 'dilations', Array(r).fill(1)).some((d) => d !== 1)) throw new AutodiffError(c.node, 'dilated pooling is not supported');
  const strides = attrInts(c, 'strides', Array(r).fill(1));
  const autoPad = attrString(c, 'auto_pad', 'NOTSET');
  let pads = attrInts(c, 'pads', Array(2 * r).fill(0));
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    pads = Array(2 * r).fill(0);
    kernel.forEach((k, i) => {
      const total = Math.max(0, ((yShape[i + 2] ?? 0) - 1) * (strides[i] ?? 1) + k - (xShape[i + 2] ?? 0));
      const small = Math.floor(total / 2);
      pads[i] = autoPad === 'SAME_UPPER' ? small : total - small;
      pads[i + r] = total - (pads[i] as number);
    });
  } else if (autoPad === 'VALID') pads = Array(2 * r).fill(0);
  const includePad = attrInt(c, 'count_include_pad', 0) === 1;
  const counts = kernel.map((k, i) => poolCounts(xShape[i + 2] ?? 0, yShape[i + 2] ?? 0, k, strides[i] ?? 1, pads[i] ?? 0, pads[i + r] ?? 0, includePad));
  const spatialOut = yShape.slice(2);
  const inv = new Float32Array(product(spatialOut));
  inv.forEach((_, flat) => {
    let rem = flat, cnt = 1;
    for (let i = r - 1; i >= 0; i--) {
      const d = spatialOut[i] ?? 1;
      cnt *= counts[i]?.[rem % d] ?? 1;
      rem = Math.floor(rem / d);
    }
    inv[flat] = 1 / cnt;
  });
  const scaled = e.op1('Mul', [g, e.f32(inv, [1, 1, ...spatialOut])]);
  const ch = xShape[1] ?? 1;
  const ones = e.f32(new Float32Array(ch * product(kernel)).fill(1), [ch, 1, ...kernel]);
  // ConvTranspose of the scaled gradient with a ones kernel spreads each window's share back.
  const ctPads = [...pads.slice(0, r)];
  const ctEnd: number[] = [], outPad: number[] = [];
  kernel.forEach((k, i) => {
    const base = (strides[i] ?? 1) * ((yShape[i + 2] ?? 1) - 1) + k - (pads[i] ?? 0);
    const x = xShape[i + 2] ?? 0;
    ctEnd.push(Math.max(0, base - x));
    outPad.push(Math.max(0, x - base));
  });
  return [e.op1('ConvTranspose', [scaled, ones], {
    strides, kernel_shape: kernel, group: ch, pads: [...ctPads, ...ctEnd],
    output_padding: outPad.some((o) => o > 0) ? outPad : undefined,
  }, 'avgpool_grad')];
};

function reduceGrad(c: GradContext, mean: boolean): string | null {
  const g = gy(c);
  if (!g) return null;
  const e = c.emit;
  const xShape = c.shape(c.inputs[0] as string);
  const rank = xShape.length;
  const axesFromInput = mean ? c.opset >= 18 : c.opset >= 13;
  let axes = axesFromInput ? (c.inputs[1] ? c.ints(c.inputs[1]) : []) : attrInts(c, 'axes', []);
  if (axes.length === 0) {
    if (attrInt(c, 'noop_with_empty_axes', 0) === 1) return g;
    axes = xShape.map((_, i) => i);
  }
  axes = axes.map((a) => (a < 0 ? a + rank : a));
  const kept = xShape.map((d, i) => (axes.includes(i) ? 1 : d));
  let t = e.op1('Reshape', [g, e.i64(kept)]);
  if (mean) t = e.op1('Mul', [t, e.scalar(1 / product(axes.map((a) => xShape[a] ?? 1)))]);
  return e.op1('Expand', [t, e.i64(xShape)], {}, mean ? 'mean_grad' : 'sum_grad');
}

const reduceMean: GradRule = (c) => [reduceGrad(c, true), ...c.inputs.slice(1).map(() => null)];
const reduceSum: GradRule = (c) => [reduceGrad(c, false), ...c.inputs.slice(1).map(() => null)];

const globalAveragePool: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null];
  const xShape = c.shape(c.inputs[0] as string);
  const t = c.emit.op1('Mul', [g, c.emit.scalar(1 / product(xShape.slice(2)))]);
  return [c.emit.op1('Expand', [t, c.emit.i64(xShape)], {}, 'gap_grad')];
};

export const samplingRules: Record<string, GradRule> = {
  Resize: resize, Pad: pad, AveragePool: averagePool, GlobalAveragePool: globalAveragePool,
  ReduceMean: reduceMean, ReduceSum: reduceSum,
};
