// Training-step benchmarks (used by `npm run bench`, electron/bench/rows/train.ts): ms per step of
// a training-step model at a given batch, achieved GFLOP/s (2 flops per multiply-add of every
// convolution in forward, input-gradient and weight-gradient passes), and a per-operator
// breakdown from ONNX Runtime's profiler, grouped as forward / input gradient / weight gradient /
// other backward / optimizer. Also the single-layer study of weight-gradient formulations.
import * as ort from 'onnxruntime-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { onnx } from '../models/onnx/proto';
import { serializeModel } from '../models/onnx/serialize';
import { GraphBuilder } from '../models/onnx/graph';
import { staticTensorInfo } from './autodiff/shapes';
import { buildStepModel } from './step/buildStep';
import { TrainSession } from './step/session';
import type { GradOptions } from './autodiff/rules/types';
import { differentiate } from './autodiff/differentiate';
import { assembleModel } from './autodiff/assemble';
import { Rng } from './rng';

/**
 * Multiply-adds of every Conv and ConvTranspose in the forward graph (Conv: output elements x
 * cin/group x kh x kw; ConvTranspose, weights [cin, cout/group, kh, kw]: input elements x
 * cout/group x kh x kw); convs reading a graph input need no input gradient.
 */
export function convMacs(model: onnx.IModelProto, inputs: Record<string, number[]>): { forward: number; inputGrad: number } {
  const info = staticTensorInfo(model, Object.fromEntries(Object.entries(inputs).map(([k, d]) => [k, { dims: d }])));
  if (!info) throw new Error('convMacs: shapes not static');
  return convMacsOf(model, info);
}

/** convMacs with the tensor shapes already known (e.g. from inferTensorInfo, which may execute the model). */
export function convMacsOf(model: onnx.IModelProto, info: ReadonlyMap<string, { dims: number[] }>): { forward: number; inputGrad: number } {
  const graphInputs = new Set((model.graph?.input ?? []).map((i) => i.name ?? ''));
  const numel = (d: number[]): number => d.reduce((a, b) => a * b, 1);
  let forward = 0, inputGrad = 0;
  for (const n of model.graph?.node ?? []) {
    if (n.opType !== 'Conv' && n.opType !== 'ConvTranspose') continue;
    const w = info.get((n.input ?? [])[1] ?? '')?.dims ?? [];
    const kernel = (w[1] ?? 0) * (w[2] ?? 0) * (w[3] ?? 0);
    const counted = n.opType === 'Conv' ? info.get((n.output ?? [])[0] ?? '')?.dims : info.get((n.input ?? [])[0] ?? '')?.dims;
    const macs = numel(counted ?? [0]) * kernel;
    forward += macs;
    if (!graphInputs.has((n.input ?? [])[0] ?? '')) inputGrad += macs;
  }
  return { forward, inputGrad };
}

export interface StepBench {
  msPerStep: number;
  gflops: number;
  steps: number[];
  /** CPU time (all threads, spinning off) per step: a load-robust measure of the work done. */
  cpuMsPerStep: number;
  breakdown: Record<string, number>;
}

function randomData(n: number, seed: number): Float32Array {
  const r = new Rng(seed);
  return new Float32Array(n).map(() => r.next());
}

/** Groups a profiled node (by the names the differentiator gives its nodes) into a category. */
export function categoryOf(node: string): string {
  if (/conv_dw|tap|\/dW/.test(node)) return 'weightGrad';
  if (/conv_dx|convT_dx|flip/.test(node)) return 'inputGrad';
  if (node.startsWith('grad/')) return 'otherBackward';
  if (node.startsWith('opt/')) return 'optimizer';
  if (node.startsWith('loss/')) return 'loss';
  return 'forward';
}

async function profile(step: onnx.IModelProto, feeds: Record<string, ort.Tensor>, threads: number, dir: string): Promise<Record<string, number>> {
  const prefix = path.join(dir, `train-profile-${process.pid}-${Date.now()}`);
  const s = await ort.InferenceSession.create(serializeModel(step), {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', enableProfiling: true, profileFilePrefix: prefix,
  });
  for (let i = 0; i < 3; i++) await s.run(feeds);
  s.endProfiling();
  await s.release();
  const files = (await fs.readdir(dir)).filter((f) => path.join(dir, f).startsWith(prefix));
  const out: Record<string, number> = {};
  for (const f of files) {
    const events = JSON.parse(await fs.readFile(path.join(dir, f), 'utf8')) as { cat?: string; name: string; ts: number; dur: number; args?: { op_name?: string } }[];
    // The first run pays one-time costs (allocations, first touch of memory): count runs 2 and 3.
    const runs = events.filter((e) => e.name === 'model_run').sort((a, b) => a.ts - b.ts);
    const after = runs[0] ? runs[0].ts + runs[0].dur : 0;
    const counted = Math.max(1, runs.length - 1);
    for (const e of events) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < after) continue;
      const key = `${categoryOf(e.name.replace(/_kernel_time$/, ''))}:${e.args?.op_name ?? '?'}`;
      out[key] = (out[key] ?? 0) + e.dur / 1000 / counted; // ms per step
    }
    await fs.rm(path.join(dir, f), { force: true });
  }
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v * 10) / 10]));
}

/** Times `timed` steps (after `warmup`) of Adam + MSE on random data; median ms per step. */
export async function benchTrainingStep(model: onnx.IModelProto, o: { batch: number; patch: number; channels: number; threads: number; warmup?: number; timed?: number; grad?: Partial<GradOptions>; profileDir?: string }): Promise<StepBench> {
  const dims = [o.batch, o.channels, o.patch, o.patch];
  const sm = await buildStepModel(model, { loss: 'mse', inputs: { image: dims }, optimizer: { kind: 'adam' }, grad: o.grad });
  const session = await TrainSession.create(sm, { threads: o.threads });
  const n = dims.reduce((a, b) => a * b, 1);
  const batch = { inputs: { image: randomData(n, 1) }, target: randomData(n, 2) };
  const times: number[] = [];
  const cpu: number[] = [];
  const quiet = await TrainSession.create(sm, { threads: o.threads, spinning: false });
  try {
    for (let i = 0; i < (o.warmup ?? 2) + (o.timed ?? 5); i++) {
      const t0 = performance.now();
      await session.step(batch, 1e-4);
      if (i >= (o.warmup ?? 2)) times.push(performance.now() - t0);
      const c0 = process.cpuUsage();
      await quiet.step(batch, 1e-4);
      const c = process.cpuUsage(c0);
      if (i >= (o.warmup ?? 2)) cpu.push((c.user + c.system) / 1000);
    }
  } finally {
    await session.release();
    await quiet.release();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const ms = sorted[sorted.length >> 1] as number;
  const macs = convMacs(model, { image: dims });
  const flops = 2 * (2 * macs.forward + macs.inputGrad);
  let breakdown: Record<string, number> = {};
  if (o.profileDir) {
    const feeds: Record<string, ort.Tensor> = {};
    feeds.image = new ort.Tensor('float32', batch.inputs.image, dims);
    feeds[sm.io.target] = new ort.Tensor('float32', batch.target, sm.targetShape);
    feeds[sm.io.lr] = new ort.Tensor('float32', Float32Array.of(1e-4), []);
    feeds[sm.io.t] = new ort.Tensor('float32', Float32Array.of(1), []);
    sm.io.slots.forEach((s, i) => {
      const p = sm.params[i];
      if (!p) return;
      feeds[s.name] = new ort.Tensor('float32', sm.initial.get(p.name) as Float32Array, p.dims);
      feeds[s.m] = new ort.Tensor('float32', new Float32Array(p.size), p.dims);
      feeds[s.v] = new ort.Tensor('float32', new Float32Array(p.size), p.dims);
    });
    breakdown = await profile(sm.step, feeds, o.threads, o.profileDir);
  }
  const cpuSorted = [...cpu].sort((a, b) => a - b);
  return { msPerStep: ms, gflops: flops / (ms / 1000) / 1e9, steps: times, cpuMsPerStep: cpuSorted[cpuSorted.length >> 1] as number, breakdown };
}

export type LayerPass = 'forward' | 'inputGrad' | 'weightGrad:conv' | 'weightGrad:taps' | 'weightGrad:tapmm';

/** One 3x3 conv layer (cin -> cout on n x cin x hw x hw): GFLOP/s of one pass, median of `runs`. */
export async function benchConvPass(pass: LayerPass, o: { n: number; cin: number; cout: number; hw: number; threads: number; runs?: number }): Promise<{ ms: number; gflops: number }> {
  const b = new GraphBuilder('layer');
  const x = b.input('x', 'float32', [o.n, o.cin, o.hw, o.hw]);
  const w = b.initializer('w', randomData(o.cout * o.cin * 9, 3).map((v) => v - 0.5), [o.cout, o.cin, 3, 3], { trainable: true });
  b.output(b.conv(x, w, null, { pads: [1, 1, 1, 1] }), 'y');
  const fwd = b.build();
  let model: onnx.IModelProto = fwd;
  const feeds: Record<string, ort.Tensor> = { x: new ort.Tensor('float32', randomData(o.n * o.cin * o.hw * o.hw, 4), [o.n, o.cin, o.hw, o.hw]) };
  if (pass !== 'forward') {
    // The backward pass alone: seed dL/dy as an input and output only the wanted gradient.
    const g0 = fwd.graph ?? {};
    const withSeed: onnx.IModelProto = {
      ...fwd,
      graph: {
        ...g0,
        node: [...(g0.node ?? []), { opType: 'Mul', input: ['y', 'dy'], output: ['ydy'], name: 'seed_mul' }, { opType: 'ReduceSum', input: ['ydy'], output: ['l'], name: 'seed_sum', attribute: [{ name: 'keepdims', type: 2, i: 0 }] }],
        input: [...(g0.input ?? []), { name: 'dy', type: { tensorType: { elemType: 1 } } }],
      },
    };
    const wrt = pass === 'inputGrad' ? 'x' : 'w';
    const grad = await differentiate(withSeed, {
      loss: 'l', wrt: [wrt], inputs: { x: { dims: [o.n, o.cin, o.hw, o.hw] }, dy: { dims: [o.n, o.cout, o.hw, o.hw] } },
      grad: { weightGrad: pass === 'weightGrad:taps' ? 'taps' : pass === 'weightGrad:tapmm' ? 'tapmm' : 'conv' },
    });
    model = assembleModel(withSeed, [grad], [grad.grads.get(wrt) as string]);
    feeds.dy = new ort.Tensor('float32', randomData(o.n * o.cout * o.hw * o.hw, 5), [o.n, o.cout, o.hw, o.hw]);
  }
  // ONNX Runtime prunes what the output does not need (the forward conv, when only dL/dy matters).
  const s = await ort.InferenceSession.create(serializeModel(model), { intraOpNumThreads: o.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const times: number[] = [];
  try {
    for (let i = 0; i < 1 + (o.runs ?? 5); i++) {
      const t0 = performance.now();
      await s.run(feeds);
      if (i > 0) times.push(performance.now() - t0);
    }
  } finally {
    await s.release();
  }
  const ms = [...times].sort((a, b) => a - b)[times.length >> 1] as number;
  return { ms, gflops: (2 * o.n * o.cout * o.cin * 9 * o.hw * o.hw) / (ms / 1000) / 1e9 };
}
