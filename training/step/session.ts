// Runs training steps: one ONNX Runtime session for the step model and one for the forward model
// (validation), each created once per run. Weights and Adam moments live in two sets of tensors
// that swap roles every step: one set is fed, the other is passed as pre-allocated outputs, so ONNX
// Runtime writes the updated state in place and no JS-side copies are made beyond the batch.
import * as ort from 'onnxruntime-node';
import { serializeModel } from '../../models/onnx/serialize';
import { executionProviders } from '../../electron/engine/providers';
import type { ActiveProvider } from '../../electron/engine/protocol';
import type { StepModel } from './buildStep';

export interface TrainSessionOptions {
  threads?: number;
  provider?: ActiveProvider;
  /** Let idle ORT worker threads spin (default true, ORT's default); off for CPU-time measurements. */
  spinning?: boolean;
}

/** Weights and optimizer state; `t` = number of optimizer steps taken. */
export interface TrainState {
  t: number;
  params: Map<string, Float32Array>;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

export interface Batch {
  /** Forward inputs by name (NCHW float32, shapes as in the step model). */
  inputs: Record<string, Float32Array>;
  target: Float32Array;
}

interface Bank { p: ort.Tensor[]; m: ort.Tensor[]; v: ort.Tensor[] }

function sessionOptions(o: TrainSessionOptions): ort.InferenceSession.SessionOptions {
  const threads = o.threads ?? 0;
  return {
    executionProviders: executionProviders(o.provider ?? 'cpu'),
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    ...(o.spinning === false ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
  };
}

export class TrainSession {
  private cur: Bank;
  private nxt: Bank;
  private released = false;

  private constructor(
    readonly model: StepModel,
    private readonly stepSession: ort.InferenceSession,
    private readonly fwdSession: ort.InferenceSession,
    state: TrainState,
    public t: number,
  ) {
    const mk = (src: Map<string, Float32Array>, name: string, dims: number[]): ort.Tensor => {
      const d = src.get(name);
      return new ort.Tensor('float32', d ? Float32Array.from(d) : new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
    };
    const ps = model.params;
    this.cur = { p: ps.map((p) => mk(state.params, p.name, p.dims)), m: ps.map((p) => mk(state.m, p.name, p.dims)), v: ps.map((p) => mk(state.v, p.name, p.dims)) };
    this.nxt = { p: ps.map((p) => mk(new Map(), p.name, p.dims)), m: ps.map((p) => mk(new Map(), p.name, p.dims)), v: ps.map((p) => mk(new Map(), p.name, p.dims)) };
  }

  /** Creates the sessions; `state` defaults to the model's initial weights and zero moments. */
  static async create(model: StepModel, opts: TrainSessionOptions = {}, state?: TrainState): Promise<TrainSession> {
    const so = sessionOptions(opts);
    const stepSession = await ort.InferenceSession.create(serializeModel(model.step), so);
    const fwdSession = await ort.InferenceSession.create(serializeModel(model.forward), so);
    const s = state ?? { t: 0, params: model.initial, m: new Map(), v: new Map() };
    return new TrainSession(model, stepSession, fwdSession, s, s.t);
  }

  /** One optimizer step on a batch at learning rate `lr`. */
  async step(batch: Batch, lr: number): Promise<{ loss: number; gradNorm: number }> {
    const io = this.model.io;
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, dims] of Object.entries(this.model.inputShapes)) {
      const data = batch.inputs[name];
      if (!data) throw new Error(`training batch lacks input "${name}"`);
      feeds[name] = new ort.Tensor('float32', data, dims);
    }
    feeds[io.target] = new ort.Tensor('float32', batch.target, this.model.targetShape);
    feeds[io.lr] = new ort.Tensor('float32', Float32Array.of(lr), []);
    feeds[io.t] = new ort.Tensor('float32', Float32Array.of(this.t + 1), []);
    const fetches: Record<string, ort.Tensor | null> = { [io.loss]: null, [io.gradNorm]: null };
    io.slots.forEach((s, i) => {
      feeds[s.name] = this.cur.p[i] as ort.Tensor;
      feeds[s.m] = this.cur.m[i] as ort.Tensor;
      feeds[s.v] = this.cur.v[i] as ort.Tensor;
      fetches[s.pNext] = this.nxt.p[i] as ort.Tensor;
      fetches[s.mNext] = this.nxt.m[i] as ort.Tensor;
      fetches[s.vNext] = this.nxt.v[i] as ort.Tensor;
    });
    const out = await this.stepSession.run(feeds, fetches);
    const loss = Number((out[io.loss] as ort.Tensor).data[0]);
    const gradNorm = Number((out[io.gradNorm] as ort.Tensor).data[0]);
    [this.cur, this.nxt] = [this.nxt, this.cur];
    this.t += 1;
    return { loss, gradNorm };
  }

  /** Forward pass with the current weights (any input size the model accepts). */
  async predict(inputs: Record<string, { data: Float32Array; dims: number[] }>): Promise<{ data: Float32Array; dims: number[] }> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) feeds[k] = new ort.Tensor('float32', v.data, v.dims);
    this.model.params.forEach((p, i) => { feeds[p.name] = this.cur.p[i] as ort.Tensor; });
    const out = await this.fwdSession.run(feeds, [this.model.output]);
    const t = out[this.model.output] as ort.Tensor;
    return { data: t.data as Float32Array, dims: [...t.dims] };
  }

  /** A copy of the weights and optimizer state. */
  snapshot(): TrainState {
    const copy = (ts: ort.Tensor[]): Map<string, Float32Array> =>
      new Map(this.model.params.map((p, i) => [p.name, Float32Array.from((ts[i] as ort.Tensor).data as Float32Array)]));
    return { t: this.t, params: copy(this.cur.p), m: copy(this.cur.m), v: copy(this.cur.v) };
  }

  /** Current weights (views, valid until the next step). */
  weights(): Map<string, Float32Array> {
    return new Map(this.model.params.map((p, i) => [p.name, (this.cur.p[i] as ort.Tensor).data as Float32Array]));
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.stepSession.release();
    await this.fwdSession.release();
  }
}
