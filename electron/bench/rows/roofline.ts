// `roofline/conv3x3`: what ONNX Runtime's CPU convolution reaches on this machine, the ceiling the
// inference and training rows compare against. A chain of 8 3x3 convolutions 64 -> 64 channels
// with ReLU on a 1 x 64 x 256 x 256 input (one tile, as the engine runs them), constant weights,
// ctx.threads threads (2 by default), median of 7 runs after 2 warm-ups (ORT's first runs plan
// memory); gflops counts 2 flops per multiply-add. A chain, not one layer: with a single conv the
// run is dominated by the NCHW <-> NCHWc reorders and copies of its input and output (the old
// single-conv 16 x 64 x 128 x 128 row measured 24-48 GFLOP/s while models reached 120-370).
// measureConvRoofline is shared with the rows that report a fraction of it (infer-12mp/*).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GraphBuilder } from '../../../models/onnx/graph';
import { serializeModel } from '../../../models/onnx/serialize';
import { SessionPool } from '../../engine/ort';
import { median, round } from '../stats';
import type { BenchContext, BenchResult, RowSource } from '../types';

const C = 64, H = 256, W = 256, K = 3, LAYERS = 8;
const WARMUP = 2, RUNS = 7;

function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

export interface Roofline {
  /** Median GFLOP/s. */
  gflops: number;
  bestGflops: number;
  msPerRun: number;
  shape: string;
}

/** Measures the conv3x3 ceiling (see the header) with `threads` threads; the model file goes to tmpDir. */
export async function measureConvRoofline(threads: number, tmpDir: string): Promise<Roofline> {
  const g = new GraphBuilder('roofline-conv3x3');
  let x = g.input('x', 'float32', [1, C, H, W]);
  for (let l = 0; l < LAYERS; l++) {
    // He-scaled weights keep activations in range through the chain (no overflow, no denormals).
    const w = g.initializer(`w${l}`, seeded(C * C * K * K, 1 + l).map((v) => v * Math.sqrt(24 / (C * K * K))), [C, C, K, K]);
    const b = g.initializer(`b${l}`, seeded(C, 100 + l).map((v) => v * 0.1), [C]);
    x = g.relu(g.conv(x, w, b, { pads: [1, 1, 1, 1] }));
  }
  g.output(x, 'y');
  const file = path.join(tmpDir, `roofline-conv3x3-${process.pid}.onnx`);
  await fs.writeFile(file, serializeModel(g.build()));
  const pool = new SessionPool({ provider: 'cpu', threads });
  try {
    const session = await pool.get(file);
    const dims = [1, C, H, W];
    const feeds = { x: { data: seeded(C * H * W, 2).map((v) => v + 0.5), dims } };
    for (let i = 0; i < WARMUP; i++) await session.run(feeds, { outputDims: dims });
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await session.run(feeds, { outputDims: dims });
      times.push((performance.now() - t0) / 1000);
    }
    const flops = 2 * C * C * K * K * H * W * LAYERS;
    const seconds = median(times);
    return { gflops: flops / seconds / 1e9, bestGflops: flops / Math.min(...times) / 1e9, msPerRun: seconds * 1000, shape: `${LAYERS}x conv3x3 ${C}->${C} on 1x${C}x${H}x${W}` };
  } finally {
    await pool.releaseAll();
    await fs.rm(file, { force: true });
  }
}

async function conv3x3(ctx: BenchContext): Promise<BenchResult> {
  const r = await measureConvRoofline(ctx.threads, ctx.tmpDir);
  return { name: 'roofline/conv3x3', gflops: round(r.gflops), bestGflops: round(r.bestGflops), msPerRun: round(r.msPerRun), threads: ctx.threads, shape: r.shape };
}

const source: RowSource = async () => [{ name: 'roofline/conv3x3', run: conv3x3 }];
export default source;
