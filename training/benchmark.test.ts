// Benchmark helpers: the FLOP count of a DnCNN step matches the hand count, and a tiny profiled
// step reports time in every category of the breakdown.
import { describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { dncnn } from '../models/architectures/dncnn';
import { benchConvPass, benchTrainingStep, convMacs } from './benchmark';

describe('training benchmark helpers', () => {
  it('counts convolution multiply-adds', () => {
    const { model } = dncnn({ channels: 3, depth: 5, width: 8, seed: 1 });
    const m = convMacs(model, { image: [2, 3, 10, 10] });
    const px = 2 * 10 * 10 * 9;
    expect(m.forward).toBe(px * (3 * 8 + 3 * 8 * 8 + 8 * 3));
    expect(m.inputGrad).toBe(px * (3 * 8 * 8 + 8 * 3));
  });

  it('times and profiles a tiny training step', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-bench-'));
    try {
      const { model } = dncnn({ channels: 3, depth: 4, width: 8, seed: 1 });
      const r = await benchTrainingStep(model, { batch: 2, patch: 16, channels: 3, threads: 1, warmup: 1, timed: 2, profileDir: dir });
      expect(r.msPerStep).toBeGreaterThan(0);
      expect(r.gflops).toBeGreaterThan(0);
      const cats = new Set(Object.keys(r.breakdown).map((k) => k.split(':')[0]));
      for (const c of ['forward', 'inputGrad', 'weightGrad', 'optimizer']) expect(cats.has(c), [...cats].join(',')).toBe(true);
      const layer = await benchConvPass('weightGrad:taps', { n: 1, cin: 4, cout: 4, hw: 8, threads: 1, runs: 1 });
      expect(layer.gflops).toBeGreaterThan(0);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
