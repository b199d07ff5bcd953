// `infer-12mp/<model id>`: every installed denoise model on a 12-megapixel photo (4000 x 3000,
// photo.ts, its luma for a gray model, Gaussian noise sigma 25 saved as an 8-bit PNG), denoised at sigma 25 end to end
// through the engine (engineChild.ts: decode, tiling and blending, PNG encode, atomic write) with
// ctx.threads threads, in a child process of its own. mpPerSec = 12 MP / seconds; gflops = the
// model's conv flops per pixel (flops.ts, from its ONNX graph) x 12 MP / seconds, i.e. useful work
// only (a tile's recomputed context and overlap, the I/O and the blending all cost time without
// counting); rooflineFraction = gflops / roofline/conv3x3 (rows/roofline.ts), measured in the
// same run just before and just after the file (rooflineGflops is their mean: other processes
// on a shared machine change both within seconds). coreShare = the engine's CPU seconds /
// (threads x seconds) and loadAverage tell whether the machine was quiet.
// Without a denoise model the row `infer-12mp` says so and is skipped.
import os from 'node:os';
import path from 'node:path';
import { loadModels, modelsForTask, type ResolvedModel } from '../../../models/registry';
import { modelFolders, userModelFolders } from '../../paths';
import { runInChild } from '../child';
import type { EngineSpec } from '../engineChild';
import { convFlopsPerPixel } from '../flops';
import { photoFile } from '../photo';
import { round } from '../stats';
import type { BenchContext, BenchResult, BenchRow, RowSource } from '../types';
import { measureConvRoofline } from './roofline';

const WIDTH = 4000;
const HEIGHT = 3000;
const SIGMA = 25;

function row(m: ResolvedModel): BenchRow {
  const id = m.entry.id;
  const name = `infer-12mp/${id}`;
  return {
    name,
    run: async (ctx: BenchContext): Promise<BenchResult> => {
      const gray = m.entry.inputs.find((i) => i.role === 'image')?.channels === 1;
      const input = await photoFile(ctx.tmpDir, WIDTH, HEIGHT, { sigma: SIGMA, gray });
      const warmupInput = await photoFile(ctx.tmpDir, 640, 480, { sigma: SIGMA, gray });
      const flopsPerPixel = await convFlopsPerPixel(m.path, m.entry);
      const before = await measureConvRoofline(ctx.threads, ctx.tmpDir);
      const spec: EngineSpec = {
        kind: 'engine',
        name,
        warmupInput,
        input,
        output: path.join(ctx.tmpDir, `${id.replace(/\W+/g, '-')}-12mp.png`),
        format: 'png',
        steps: [{ task: 'denoise', model: id, sigma: SIGMA }],
        modelDirs: userModelFolders(ctx.modelDirs),
        threads: ctx.threads,
        tile: ctx.tile,
      };
      const r = await runInChild(ctx.script, spec);
      const after = await measureConvRoofline(ctx.threads, ctx.tmpDir);
      const rooflineGflops = (before.gflops + after.gflops) / 2;
      const seconds = Number(r.seconds);
      const mp = (WIDTH * HEIGHT) / 1e6;
      const gflops = (flopsPerPixel * WIDTH * HEIGHT) / seconds / 1e9;
      const stepSeconds = Number(r.stepSeconds);
      return {
        name,
        mpPerSec: round(mp / seconds),
        seconds: r.seconds!,
        gflops: round(gflops),
        rooflineGflops: round(rooflineGflops),
        rooflineFraction: round(gflops / rooflineGflops),
        tile: r.tile!,
        peakRssMb: r.peakRssMb!,
        mflopPerPixel: round(flopsPerPixel / 1e6),
        readSeconds: r.readSeconds!,
        denoiseSeconds: r.stepSeconds!,
        writeSeconds: r.writeSeconds!,
        denoiseGflops: Number.isFinite(stepSeconds) ? round((flopsPerPixel * WIDTH * HEIGHT) / stepSeconds / 1e9) : null,
        rooflineBeforeGflops: round(before.gflops),
        rooflineAfterGflops: round(after.gflops),
        coreShare: round(Number(r.cpuSeconds) / (ctx.threads * seconds)),
        loadAverage: round(os.loadavg()[0]!),
        tiles: r.tiles!,
        channels: gray ? 1 : 3,
        threads: ctx.threads,
        parameters: m.entry.parameters,
      };
    },
  };
}

const skipped: BenchRow = {
  name: 'infer-12mp',
  run: async () => ({ name: 'infer-12mp', skipped: 'no denoise model installed (models/manifest.json, the user model folder or --models-dir)' }),
};

const source: RowSource = async (ctx) => {
  const models = modelsForTask(await loadModels(modelFolders(ctx.modelDirs)), 'denoise');
  return models.length > 0 ? models.map(row) : [skipped];
};
export default source;
