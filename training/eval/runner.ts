// Runs a model on whole evaluation images (no tiling: the sets are small) through one ONNX Runtime
// session: inputs by manifest role, H and W padded by reflection to the model's multipleOf and the
// output cropped back. Inputs stay float (the float-unclipped protocol needs unrounded noise).
// With `tta` every run is the self-ensemble of the engine (electron/engine/selfEnsemble.ts); a model
// whose manifest asks for `rotationEnsemble` always runs as the mean of its four rotations, as the engine runs it.
import * as ort from 'onnxruntime-node';
import { promises as fs } from 'node:fs';
import type { InputRole, ManifestEntry } from '../../models/manifest';
import { executionProviders } from '../../electron/engine/providers';
import type { ActiveProvider } from '../../electron/engine/protocol';
import type { Planar } from '../data/degrade';
import { ROTATION_TRANSFORMS, selfEnsembleRun } from '../../electron/engine/selfEnsemble';
import type { RunTile } from '../../electron/engine/tiling';

/** What a runner needs to know of a model: its manifest entry, or that part of a model in training. */
export type RunnerEntry = Pick<ManifestEntry, 'id' | 'inputs' | 'output' | 'multipleOf' | 'scale'> & Partial<Pick<ManifestEntry, 'noiseLevel' | 'threshold' | 'thresholdLow' | 'grow' | 'rotationEnsemble' | 'receptiveField'>>;

export type RoleInputs = Partial<Record<InputRole, Planar>>;

function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const p = 2 * (n - 1);
  let m = ((i % p) + p) % p;
  if (m >= n) m = p - m;
  return m;
}

function padTo(img: Planar, h: number, w: number): Float32Array {
  if (img.h === h && img.w === w) return img.data;
  const out = new Float32Array(img.c * h * w);
  for (let c = 0; c < img.c; c++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    out[(c * h + y) * w + x] = img.data[(c * img.h + reflect(y, img.h)) * img.w + reflect(x, img.w)] as number;
  }
  return out;
}

export class ModelRunner {
  private readonly ensemble: RunTile | null;

  private constructor(readonly entry: RunnerEntry, private readonly session: ort.InferenceSession, readonly tta: boolean) {
    const transforms = tta ? undefined : entry.rotationEnsemble ? ROTATION_TRANSFORMS : null;
    this.ensemble = transforms !== null
      ? selfEnsembleRun(async (feeds) => {
          const roles = Object.fromEntries(Object.entries(feeds).map(([role, f]) => [role, { c: f.dims[1]!, h: f.dims[2]!, w: f.dims[3]!, data: f.data }]));
          const p = await this.runOnce(roles);
          return { data: p.data, dims: [1, p.c, p.h, p.w] };
        }, transforms)
      : null;
  }

  static async open(entry: ManifestEntry, file: string, opts: { threads?: number; provider?: ActiveProvider; tta?: boolean } = {}): Promise<ModelRunner> {
    return ModelRunner.fromBytes(entry, await fs.readFile(file), opts);
  }

  /** A runner for a model held in memory (e.g. a training run's weights exported on the fly). */
  static async fromBytes(entry: RunnerEntry, bytes: Uint8Array, opts: { threads?: number; provider?: ActiveProvider; tta?: boolean } = {}): Promise<ModelRunner> {
    const session = await ort.InferenceSession.create(bytes, {
      executionProviders: executionProviders(opts.provider ?? 'cpu'), intraOpNumThreads: opts.threads ?? 0, graphOptimizationLevel: 'all',
    });
    return new ModelRunner(entry, session, opts.tta ?? false);
  }

  /** The model's output for these inputs (with tta or a rotation ensemble, the engine's self-ensemble of whole-image runs). */
  async run(inputs: RoleInputs): Promise<Planar> {
    if (!this.ensemble) return this.runOnce(inputs);
    const feeds = Object.fromEntries(Object.entries(inputs).map(([role, p]) => [role, { data: p.data, dims: [1, p.c, p.h, p.w] }]));
    const out = await this.ensemble(feeds);
    // the ensemble reuses its result buffer on the next call: hand out a copy
    return { c: out.dims[1]!, h: out.dims[2]!, w: out.dims[3]!, data: out.data.slice() };
  }

  private async runOnce(inputs: RoleInputs): Promise<Planar> {
    const first = Object.values(inputs)[0];
    if (!first) throw new Error('no model input given');
    const m = this.entry.multipleOf;
    const H = Math.ceil(first.h / m) * m, W = Math.ceil(first.w / m) * m;
    const feeds: Record<string, ort.Tensor> = {};
    for (const i of this.entry.inputs) {
      const p = inputs[i.role];
      if (!p) throw new Error(`${this.entry.id}: no data for input "${i.name}" (${i.role})`);
      if (p.c !== i.channels) throw new Error(`${this.entry.id}: input "${i.name}" wants ${i.channels} channels, got ${p.c}`);
      feeds[i.name] = new ort.Tensor('float32', padTo(p, H, W), [1, p.c, H, W]);
    }
    const out = await this.session.run(feeds, [this.entry.output.name]);
    const t = out[this.entry.output.name] as ort.Tensor;
    const [, c, oh, ow] = t.dims as [number, number, number, number];
    const s = this.entry.scale, h = first.h * s, w = first.w * s;
    const data = new Float32Array(c * h * w), src = t.data as Float32Array;
    for (let k = 0; k < c; k++) for (let y = 0; y < h; y++) data.set(src.subarray((k * oh + y) * ow, (k * oh + y) * ow + w), (k * h + y) * w);
    return { c, h, w, data };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
