// `roofline/conv3x3`: what ONNX Runtime's CPU convolution reaches on this machine, as the ceiling
// the inference and training rows compare against. A 3x3 convolution 64 -> 64 channels on a
// 16 x 64 x 128 x 128 input, constant weights, 2 threads (ctx.threads), median of 5 runs after a
// warm-up; gflops counts 2 flops per multiply-add.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GraphBuilder } from '../../../models/onnx/graph';
import { serializeModel } from '../../../models/onnx/serialize';
import { SessionPool } from '../../engine/ort';
import { median, round } from '../stats';
import type { BenchContext, BenchResult, RowSource } from '../types';

const N = 16, C = 64, H = 128, W = 128, K = 3;

function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

async function conv3x3(ctx: BenchContext): Promise<BenchResult> {
  const g = new GraphBuilder('roofline-conv3x3');
  const x = g.input('x', 'float32', [N, C, H, W]);
  const w = g.initializer('w', seeded(C * C * K * K, 1).map((v) => v * 0.1), [C, C, K, K]);
  const b = g.initializer('b', new Float32Array(C), [C]);
  g.output(g.conv(x, w, b, { pads: [1, 1, 1, 1] }), 'y');
  const file = path.join(ctx.tmpDir, 'roofline-conv3x3.onnx');
  await fs.writeFile(file, serializeModel(g.build()));
  const pool = new SessionPool({ provider: 'cpu', threads: ctx.threads });
  try {
    const session = await pool.get(file);
    const feeds = { x: { data: seeded(N * C * H * W, 2), dims: [N, C, H, W] } };
    const outputDims = [N, C, H, W];
    await session.run(feeds, { outputDims });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await session.run(feeds, { outputDims });
      times.push((performance.now() - t0) / 1000);
    }
    const flops = 2 * N * C * C * K * K * H * W;
    const seconds = median(times);
    return { name: 'roofline/conv3x3', gflops: round(flops / seconds / 1e9), msPerRun: round(seconds * 1000), threads: ctx.threads };
  } finally {
    await pool.releaseAll();
  }
}

const source: RowSource = async () => [{ name: 'roofline/conv3x3', run: conv3x3 }];
export default source;
