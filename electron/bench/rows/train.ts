// Training throughput rows (issue 3): `train/dncnn17` and `train/unet3` time one Adam + MSE
// training step of the two reference nets on a batch of 16 3x64x64 patches with ctx.threads
// threads (median of 5 after 2 warm-up steps), with GFLOP/s and a per-operator breakdown
// (ms per step by category:op from ONNX Runtime's profiler). cpuMsPerStep is the CPU time of a
// step with thread spinning off: comparable across machine load with PyTorch's process time. `train/layer64/*` is the
// weight-gradient formulation study: one 64->64 3x3 conv on 16x64x64x64, each pass alone.
import { dncnn } from '../../../models/architectures/dncnn';
import { unet } from '../../../models/architectures/unet';
import { benchConvPass, benchTrainingStep, type LayerPass } from '../../../training/benchmark';
import { round } from '../stats';
import type { BenchContext, BenchResult, RowSource } from '../types';

async function stepRow(name: string, build: () => ReturnType<typeof dncnn>, ctx: BenchContext): Promise<BenchResult> {
  const arch = build();
  const r = await benchTrainingStep(arch.model, { batch: 16, patch: 64, channels: 3, threads: ctx.threads, profileDir: ctx.tmpDir });
  const top = Object.entries(r.breakdown).slice(0, 8).map(([k, v]) => `${k}=${v}`).join(' ');
  const byCategory: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.breakdown)) {
    const cat = k.split(':')[0] as string;
    byCategory[cat] = (byCategory[cat] ?? 0) + v;
  }
  return {
    name, msPerStep: round(r.msPerStep), gflops: round(r.gflops), cpuMsPerStep: round(r.cpuMsPerStep), threads: ctx.threads, batch: 16, patch: 64, params: arch.parameters,
    ...Object.fromEntries(Object.entries(byCategory).map(([k, v]) => [`${k}Ms`, round(v)])),
    topOps: top,
  };
}

const PASSES: LayerPass[] = ['forward', 'inputGrad', 'weightGrad:conv', 'weightGrad:taps', 'weightGrad:tapmm'];

const source: RowSource = async () => [
  { name: 'train/dncnn17', run: (ctx) => stepRow('train/dncnn17', () => dncnn({ channels: 3, depth: 17, width: 64, seed: 1 }), ctx) },
  { name: 'train/unet3', run: (ctx) => stepRow('train/unet3', () => unet({ inChannels: 3, outChannels: 3, widths: [32, 64, 128], down: 'stride', up: 'nearest-conv', seed: 1 }), ctx) },
  ...PASSES.map((pass) => ({
    name: `train/layer64/${pass}`,
    run: async (ctx: BenchContext): Promise<BenchResult> => {
      const r = await benchConvPass(pass, { n: 16, cin: 64, cout: 64, hw: 64, threads: ctx.threads });
      return { name: `train/layer64/${pass}`, ms: round(r.ms), gflops: round(r.gflops), threads: ctx.threads };
    },
  })),
];
export default source;
