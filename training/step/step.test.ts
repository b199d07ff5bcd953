// Training-step graph tests: the in-graph Adam/AdamW update with clipping equals a JS reference
// implementation; a tiny DnCNN trained for a few hundred steps lowers its validation loss; the
// exported inference model, run through the engine's session pool, gives the same output as the
// training session's forward pass.
import { describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SessionPool } from '../../electron/engine/ort';
import { GraphBuilder } from '../../models/onnx/graph';
import { serializeModel, parseModel } from '../../models/onnx/serialize';
import { dncnn } from '../../models/architectures/dncnn';
import { Rng } from '../rng';
import { buildStepModel } from './buildStep';
import { TrainSession } from './session';
import { exportWithWeights } from './export';
import { learningRate } from './schedule';
import type { OptimizerConfig } from './optimizer';

describe('optimizer in the step graph', () => {
  const x = Float32Array.from([0.5, -1, 2, 0.25]);
  const target = Float32Array.from([1, 0.5, -1, 0.3]);
  const w0 = Float32Array.from([0.2, -0.4, 0.9, 1.5]);

  async function run(cfg: Partial<OptimizerConfig>, steps: number, lr: number): Promise<Float32Array> {
    const b = new GraphBuilder('lin');
    const xi = b.input('x', 'float32', [4]);
    b.output(b.mul(xi, b.initializer('w', w0, [4], { trainable: true })), 'y');
    const sm = await buildStepModel(b.build(), { loss: 'mse', inputs: { x: [4] }, optimizer: cfg });
    const s = await TrainSession.create(sm, { threads: 1 });
    for (let i = 0; i < steps; i++) await s.step({ inputs: { x }, target }, lr);
    const w = Float32Array.from(s.weights().get('w') as Float32Array);
    await s.release();
    return w;
  }

  function reference(cfg: OptimizerConfig, steps: number, lr: number): Float64Array {
    const w = Float64Array.from(w0), m = new Float64Array(4), v = new Float64Array(4);
    for (let t = 1; t <= steps; t++) {
      let g = Array.from(w, (wi, i) => (2 / 4) * (wi * (x[i] as number) - (target[i] as number)) * (x[i] as number));
      const norm = Math.sqrt(g.reduce((a, b) => a + b * b, 0));
      if (cfg.clipNorm > 0) g = g.map((gi) => gi * Math.min(1, cfg.clipNorm / (norm + 1e-6)));
      if (cfg.kind === 'adam') g = g.map((gi, i) => gi + cfg.weightDecay * (w[i] as number));
      for (let i = 0; i < 4; i++) {
        m[i] = cfg.beta1 * (m[i] as number) + (1 - cfg.beta1) * (g[i] as number);
        v[i] = cfg.beta2 * (v[i] as number) + (1 - cfg.beta2) * (g[i] as number) ** 2;
        const mh = (m[i] as number) / (1 - cfg.beta1 ** t), vh = (v[i] as number) / (1 - cfg.beta2 ** t);
        const decay = cfg.kind === 'adamw' ? lr * cfg.weightDecay * (w[i] as number) : 0;
        w[i] = (w[i] as number) - lr * mh / (Math.sqrt(vh) + cfg.eps) - decay;
      }
    }
    return w;
  }

  const configs: OptimizerConfig[] = [
    { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, clipNorm: 0 },
    { kind: 'adam', beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1, clipNorm: 0.5 },
    { kind: 'adamw', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.05, clipNorm: 1 },
  ];
  for (const cfg of configs) {
    it(`${cfg.kind} wd=${cfg.weightDecay} clip=${cfg.clipNorm} equals the reference over 5 steps`, async () => {
      const got = await run(cfg, 5, 0.05);
      const want = reference(cfg, 5, 0.05);
      for (let i = 0; i < 4; i++) expect(got[i]).toBeCloseTo(want[i] as number, 5);
      expect(Math.abs((got[0] as number) - (w0[0] as number))).toBeGreaterThan(0.05);
    });
  }
});

/** Smooth synthetic gray patches (sums of random gradients and discs). */
function cleanPatch(rng: Rng, s: number): Float32Array {
  const out = new Float32Array(s * s);
  const a = rng.uniform(-0.03, 0.03), b = rng.uniform(-0.03, 0.03), c0 = rng.uniform(0.2, 0.8);
  const cx = rng.uniform(0, s), cy = rng.uniform(0, s), r = rng.uniform(3, s / 2), d = rng.uniform(-0.3, 0.3);
  for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) {
    out[y * s + x] = c0 + a * x + b * y + ((x - cx) ** 2 + (y - cy) ** 2 < r * r ? d : 0);
  }
  return out;
}

function noisyBatch(rng: Rng, n: number, s: number, sigma: number): { noisy: Float32Array; clean: Float32Array } {
  const clean = new Float32Array(n * s * s), noisy = new Float32Array(n * s * s);
  for (let i = 0; i < n; i++) clean.set(cleanPatch(rng, s), i * s * s);
  for (let i = 0; i < clean.length; i++) noisy[i] = (clean[i] as number) + sigma * rng.normal();
  return { noisy, clean };
}

describe('a tiny denoiser', () => {
  it('lowers its validation loss in 300 steps, and its export equals the training forward pass', async () => {
    const N = 8, S = 16, sigma = 25 / 255;
    const arch = dncnn({ channels: 1, depth: 3, width: 8, seed: 3 });
    const sm = await buildStepModel(arch.model, { loss: 'mse', inputs: { image: [N, 1, S, S] }, optimizer: { kind: 'adam' } });
    const s = await TrainSession.create(sm, { threads: 2 });
    const vrng = new Rng(999);
    const val = noisyBatch(vrng, 16, S, sigma);
    const valLoss = async (): Promise<number> => {
      const y = await s.predict({ image: { data: val.noisy, dims: [16, 1, S, S] } });
      let sum = 0;
      for (let i = 0; i < y.data.length; i++) sum += ((y.data[i] as number) - (val.clean[i] as number)) ** 2;
      return sum / y.data.length;
    };
    const before = await valLoss();
    const rng = new Rng(1);
    const sched = { base: 3e-3, warmupSteps: 20, totalSteps: 300, minFactor: 0.1 };
    for (let i = 0; i < 300; i++) {
      const b = noisyBatch(rng, N, S, sigma);
      const r = await s.step({ inputs: { image: b.noisy }, target: b.clean }, learningRate(sched, i));
      expect(Number.isFinite(r.loss)).toBe(true);
    }
    const after = await valLoss();
    expect(after).toBeLessThan(before * 0.7);
    // Export to a file and run it through the engine's session pool (electron/engine/ort.ts).
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-export-'));
    const file = path.join(dir, 'tiny.onnx');
    await fs.writeFile(file, serializeModel(exportWithWeights(arch.model, s.weights())));
    expect(parseModel(await fs.readFile(file), file).graph?.initializer?.length).toBe(arch.model.graph?.initializer?.length);
    const pool = new SessionPool({ provider: 'cpu', threads: 2 });
    const engine = await pool.get(file);
    const viaExport = await engine.run({ image: { data: val.noisy, dims: [16, 1, S, S] } });
    const viaTrain = await s.predict({ image: { data: val.noisy, dims: [16, 1, S, S] } });
    const a = viaExport.data;
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs((a[i] as number) - (viaTrain.data[i] as number)));
    expect(maxDiff).toBeLessThan(1e-6);
    expect(s.t).toBe(300);
    await pool.releaseAll();
    await fs.rm(dir, { recursive: true, force: true });
    await s.release();
  });
});
