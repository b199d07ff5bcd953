// Gradient checking against central finite differences, run through real ONNX Runtime sessions:
// the output is reduced to a scalar with a fixed random weighting, the analytic gradient comes from
// the differentiated graph, and for several random directions d the directional derivative
// <grad, d> is compared with (L(p + eps d) - L(p - eps d)) / (2 eps).
import * as ort from 'onnxruntime-node';
import { onnx } from '../../models/onnx/proto';
import { serializeModel } from '../../models/onnx/serialize';
import { makeTensor, readTensor, tensorDims } from '../../models/onnx/tensor';
import { Rng } from '../rng';
import { differentiate } from './differentiate';
import { gradientModel } from './assemble';
import { inferTensorInfo } from './shapes';
import { evalFloat64 } from './float64';
import type { GradOptions } from './rules/types';

export interface Feed { dims: number[]; data: Float32Array }

export interface GradCheckOptions {
  /** Graph inputs (float32). */
  feeds: Record<string, Feed>;
  /** Inputs and/or initializers to check. */
  wrt: string[];
  /** Output to check (default: the first graph output). */
  output?: string;
  directions?: number;
  /** Perturb only this many random coordinates per direction (deep ReLU nets: fewer kinks crossed). */
  coordinates?: number;
  eps?: number;
  seed?: number;
  /**
   * Redraw a direction when the segment p +- eps d crosses a kink (a Relu/LeakyRelu/PRelu/Clip/
   * Abs input changing sign or bound): finite differences are only valid where the function is
   * smooth. Up to 50 draws per direction.
   */
  avoidKinks?: boolean;
  /** Finite differences in float64 (./float64.ts) instead of ONNX Runtime's float32. */
  float64?: boolean;
  grad?: Partial<GradOptions>;
}

export interface GradCheckResult { name: string; analytic: number; numeric: number; relErr: number }

export async function gradCheck(model: onnx.IModelProto, opts: GradCheckOptions): Promise<GradCheckResult[]> {
  const g0 = model.graph ?? {};
  const rng = new Rng(opts.seed ?? 1);
  const eps = opts.eps ?? 1e-3;
  const feeds = new Map<string, Feed>(Object.entries(opts.feeds));
  // Parameters become inputs, so they can be perturbed without rebuilding the model.
  const inits = (g0.initializer ?? []).filter((t) => !opts.wrt.includes(t.name ?? ''));
  const moved: onnx.IValueInfoProto[] = [];
  for (const t of g0.initializer ?? []) {
    const name = t.name ?? '';
    if (!opts.wrt.includes(name)) continue;
    feeds.set(name, { dims: tensorDims(t), data: Float32Array.from(readTensor(t) as Float32Array) });
    moved.push({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } });
  }
  const output = opts.output ?? (g0.output ?? [])[0]?.name ?? '';
  const base: onnx.IModelProto = { ...model, graph: { ...g0, initializer: inits, input: [...(g0.input ?? []), ...moved] } };
  const specs = Object.fromEntries([...feeds].map(([k, v]) => [k, { dims: v.dims }]));
  const info = await inferTensorInfo(base, specs);
  const yDims = info.get(output)?.dims;
  if (!yDims) throw new Error(`gradCheck: output ${output} not found`);
  const weights = new Float32Array(yDims.reduce((a, b) => a * b, 1)).map(() => rng.uniform(-1, 1));
  const lossModel: onnx.IModelProto = {
    ...base,
    graph: {
      ...base.graph,
      node: [...(base.graph?.node ?? []),
        { opType: 'Mul', input: [output, 'gc/w'], output: ['gc/wy'], name: 'gc/mul' },
        { opType: 'ReduceSum', input: ['gc/wy'], output: ['gc/loss'], name: 'gc/sum', attribute: [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] }],
      initializer: [...(base.graph?.initializer ?? []), makeTensor('gc/w', weights, yDims)],
      output: [{ name: 'gc/loss' }],
    },
  };
  const grad = await differentiate(lossModel, { loss: 'gc/loss', wrt: opts.wrt, inputs: specs, grad: opts.grad });
  const gm = gradientModel(lossModel, 'gc/loss', grad);
  const toFeeds = (over?: Map<string, Float32Array>): Record<string, ort.Tensor> =>
    Object.fromEntries([...feeds].map(([k, v]) => [k, new ort.Tensor('float32', over?.get(k) ?? v.data, v.dims)]));
  const gs = await ort.InferenceSession.create(serializeModel(gm));
  // The finite-difference side reads the output itself and sums w * y in float64.
  const KINKED = new Set(['Relu', 'LeakyRelu', 'PRelu', 'Clip', 'Abs']);
  const kinkValues = opts.avoidKinks ? (base.graph?.node ?? []).filter((n) => KINKED.has(n.opType ?? '')).map((n) => (n.input ?? [])[0] ?? '') : [];
  const ls = await ort.InferenceSession.create(serializeModel({ ...base, graph: { ...base.graph, output: [{ name: output }, ...kinkValues.map((name) => ({ name }))] } }));
  try {
    const out = await gs.run(toFeeds());
    const results: GradCheckResult[] = [];
    const lossAt = async (over: Map<string, Float32Array | Float64Array>): Promise<{ loss: number; signs: Uint8Array }> => {
      if (opts.float64) {
        const f64 = Object.fromEntries([...feeds].map(([k, v]) => [k, { dims: v.dims, data: Float64Array.from(over.get(k) ?? v.data) }]));
        const y = evalFloat64(base, f64, output).data;
        let sum = 0;
        for (let i = 0; i < y.length; i++) sum += (y[i] as number) * (weights[i] as number);
        return { loss: sum, signs: new Uint8Array(0) };
      }
      const r = await ls.run(toFeeds(over as Map<string, Float32Array>));
      const y = (r[output] as ort.Tensor).data as Float32Array;
      let sum = 0;
      for (let i = 0; i < y.length; i++) sum += (y[i] as number) * (weights[i] as number);
      const parts = kinkValues.map((k) => (r[k] as ort.Tensor).data as Float32Array);
      const signs = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
      let o = 0;
      for (const p of parts) for (let i = 0; i < p.length; i++) signs[o++] = (p[i] as number) > 0 ? 1 : 0;
      return { loss: sum, signs };
    };
    const sameSigns = (a: Uint8Array, b: Uint8Array): boolean => a.every((v, i) => v === b[i]);
    for (const w of opts.wrt) {
      const gname = grad.grads.get(w) as string;
      const gdata = (out[gname] as ort.Tensor).data as Float32Array;
      const p = feeds.get(w) as Feed;
      for (let k = 0; k < (opts.directions ?? 3); k++) {
        let d = new Float32Array(p.data.length), lp = 0, lm = 0;
        for (let attempt = 0; attempt < 50; attempt++) {
          d = new Float32Array(p.data.length);
          if (opts.coordinates) for (let j = 0; j < opts.coordinates; j++) d[rng.int(d.length)] = rng.uniform(0.5, 1) * (rng.next() < 0.5 ? -1 : 1);
          else d.forEach((_, i) => { d[i] = rng.uniform(-1, 1); });
          const src = opts.float64 ? Float64Array.from(p.data) : p.data;
          const plus = src.map((v, i) => v + eps * (d[i] as number));
          const minus = src.map((v, i) => v - eps * (d[i] as number));
          const rp = await lossAt(new Map([[w, plus]]));
          const rm = await lossAt(new Map([[w, minus]]));
          lp = rp.loss;
          lm = rm.loss;
          if (!opts.avoidKinks || sameSigns(rp.signs, rm.signs)) break;
        }
        let analytic = 0;
        for (let i = 0; i < d.length; i++) analytic += (gdata[i] as number) * (d[i] as number);
        const numeric = (lp - lm) / (2 * eps);
        const relErr = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-6);
        results.push({ name: w, analytic, numeric, relErr });
      }
    }
    return results;
  } finally {
    await gs.release();
    await ls.release();
  }
}
