// A small float64 interpreter for the operators of the reference nets (Conv, Relu, LeakyRelu,
// Sigmoid, Tanh, Add, Sub, Mul, Concat, integer nearest Resize, Identity, Reshape-free graphs),
// independent of ONNX Runtime. Gradient checks of deep nets use it for the finite-difference side:
// float32 forward passes are too noisy for a 1e-3 relative check through 17 layers, and float64
// lets eps be small enough to step over no ReLU kink.
import type { onnx } from '../../models/onnx/proto';
import { nodeAttributes } from '../../models/onnx/attributes';
import { readTensor, tensorDims } from '../../models/onnx/tensor';

export interface T64 { dims: number[]; data: Float64Array }

const size = (d: number[]): number => d.reduce((a, b) => a * b, 1);

function conv(x: T64, w: T64, b: T64 | null, a: Map<string, unknown>): T64 {
  const [n, c, h, wd] = x.dims as [number, number, number, number];
  const [co, cig, kh, kw] = w.dims as [number, number, number, number];
  const g = (a.get('group') as number | undefined) ?? 1;
  const [sh, sw] = (a.get('strides') as number[] | undefined) ?? [1, 1];
  const [dh, dw] = (a.get('dilations') as number[] | undefined) ?? [1, 1];
  const [pt, pl, pb, pr] = (a.get('pads') as number[] | undefined) ?? [0, 0, 0, 0];
  const ho = Math.floor((h + (pt as number) + (pb as number) - (dh as number) * (kh - 1) - 1) / (sh as number)) + 1;
  const wo = Math.floor((wd + (pl as number) + (pr as number) - (dw as number) * (kw - 1) - 1) / (sw as number)) + 1;
  const out = new Float64Array(n * co * ho * wo);
  const cog = co / g;
  void c;
  for (let b0 = 0; b0 < n; b0++) for (let o = 0; o < co; o++) {
    const grp = Math.floor(o / cog);
    for (let y = 0; y < ho; y++) for (let xo = 0; xo < wo; xo++) {
      let s = b ? (b.data[o] as number) : 0;
      for (let ci = 0; ci < cig; ci++) {
        const cin = grp * cig + ci;
        for (let i = 0; i < kh; i++) {
          const yy = y * (sh as number) + i * (dh as number) - (pt as number);
          if (yy < 0 || yy >= h) continue;
          for (let j = 0; j < kw; j++) {
            const xx = xo * (sw as number) + j * (dw as number) - (pl as number);
            if (xx < 0 || xx >= wd) continue;
            s += (w.data[((o * cig + ci) * kh + i) * kw + j] as number) * (x.data[((b0 * (x.dims[1] as number) + cin) * h + yy) * wd + xx] as number);
          }
        }
      }
      out[((b0 * co + o) * ho + y) * wo + xo] = s;
    }
  }
  return { dims: [n, co, ho, wo], data: out };
}

function broadcast(a: T64, b: T64, f: (x: number, y: number) => number): T64 {
  const rank = Math.max(a.dims.length, b.dims.length);
  const ad = [...Array(rank - a.dims.length).fill(1), ...a.dims], bd = [...Array(rank - b.dims.length).fill(1), ...b.dims];
  const od = ad.map((d, i) => Math.max(d, bd[i] as number));
  const out = new Float64Array(size(od));
  const idx = new Array(rank).fill(0);
  for (let k = 0; k < out.length; k++) {
    let r = k;
    for (let i = rank - 1; i >= 0; i--) { idx[i] = r % (od[i] as number); r = Math.floor(r / (od[i] as number)); }
    let ai = 0, bi = 0;
    for (let i = 0; i < rank; i++) {
      ai = ai * (ad[i] as number) + ((ad[i] as number) === 1 ? 0 : idx[i]);
      bi = bi * (bd[i] as number) + ((bd[i] as number) === 1 ? 0 : idx[i]);
    }
    out[k] = f(a.data[ai] as number, b.data[bi] as number);
  }
  return { dims: od, data: out };
}

function concat(xs: T64[], axis: number): T64 {
  const d0 = (xs[0] as T64).dims;
  const ax = axis < 0 ? axis + d0.length : axis;
  const outer = size(d0.slice(0, ax)), inner = size(d0.slice(ax + 1));
  const total = xs.reduce((s, x) => s + (x.dims[ax] as number), 0);
  const out = new Float64Array(outer * total * inner);
  let off = 0;
  for (const x of xs) {
    const len = (x.dims[ax] as number) * inner;
    for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * len, (o + 1) * len), o * total * inner + off);
    off += len;
  }
  return { dims: d0.map((d, i) => (i === ax ? total : d)), data: out };
}

function resizeNearest(x: T64, scales: number[], a: Map<string, unknown>): T64 {
  const mode = a.get('mode') ?? 'nearest';
  const ct = a.get('coordinate_transformation_mode') ?? 'half_pixel';
  if (mode !== 'nearest' || ct !== 'asymmetric' || scales.some((s) => !Number.isInteger(s))) throw new Error('float64 Resize: only integer nearest/asymmetric');
  const [n, c, h, w] = x.dims as [number, number, number, number];
  const fh = scales[2] as number, fw = scales[3] as number;
  const out = new Float64Array(n * c * h * fh * w * fw);
  for (let p = 0; p < n * c; p++) for (let y = 0; y < h * fh; y++) for (let z = 0; z < w * fw; z++) {
    out[(p * h * fh + y) * w * fw + z] = x.data[(p * h + Math.floor(y / fh)) * w + Math.floor(z / fw)] as number;
  }
  return { dims: [n, c, h * fh, w * fw], data: out };
}

/** Evaluates `output` of `model` in float64. */
export function evalFloat64(model: onnx.IModelProto, feeds: Record<string, T64>, output: string): T64 {
  const vals = new Map<string, T64>(Object.entries(feeds));
  for (const t of model.graph?.initializer ?? []) {
    const name = t.name ?? '';
    if (vals.has(name)) continue;
    const d = readTensor(t);
    vals.set(name, { dims: tensorDims(t), data: Float64Array.from(d instanceof BigInt64Array ? Array.from(d, Number) : d) });
  }
  const get = (n: string): T64 => {
    const v = vals.get(n);
    if (!v) throw new Error(`float64: value ${n} unknown`);
    return v;
  };
  for (const node of model.graph?.node ?? []) {
    const a = nodeAttributes(node) as Map<string, unknown>;
    const ins = (node.input ?? []).map((i) => (i ? vals.get(i) ?? null : null));
    const x = ins[0] as T64;
    let y: T64;
    switch (node.opType) {
      case 'Conv': y = conv(x, ins[1] as T64, ins[2] ?? null, a); break;
      case 'Relu': y = { dims: x.dims, data: x.data.map((v) => (v > 0 ? v : 0)) }; break;
      case 'LeakyRelu': { const al = (a.get('alpha') as number | undefined) ?? 0.01; y = { dims: x.dims, data: x.data.map((v) => (v > 0 ? v : al * v)) }; break; }
      case 'Sigmoid': y = { dims: x.dims, data: x.data.map((v) => 1 / (1 + Math.exp(-v))) }; break;
      case 'Tanh': y = { dims: x.dims, data: x.data.map(Math.tanh) }; break;
      case 'Identity': y = x; break;
      case 'Add': y = broadcast(x, ins[1] as T64, (p, q) => p + q); break;
      case 'Sub': y = broadcast(x, ins[1] as T64, (p, q) => p - q); break;
      case 'Mul': y = broadcast(x, ins[1] as T64, (p, q) => p * q); break;
      case 'Concat': y = concat(ins.filter((v): v is T64 => v !== null), (a.get('axis') as number | undefined) ?? 0); break;
      case 'Resize': y = resizeNearest(x, Array.from(get((node.input ?? [])[2] ?? '').data), a); break;
      default: throw new Error(`float64: operator ${node.opType} not implemented`);
    }
    vals.set((node.output ?? [])[0] ?? '', y);
  }
  return get(output);
}
