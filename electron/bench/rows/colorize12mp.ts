// `colorize-12mp/<model id>`: every installed colorize model on a 12-megapixel gray photo (4000 x
// 3000, photo.ts's luma saved as an 8-bit PNG), colourized automatically end to end through the
// engine (engineChild.ts: decode, L downscaled to the model's working size, the model, ab upsampled
// and joined with the full-resolution L, PNG encode, atomic write) with ctx.threads threads, in a
// child process of its own. The issue-13 budget: under 10 s on 2 threads and a peak RSS under
// 1500 MB (`withinLimit`; the row fails above either). Without a colorize model the row
// `colorize-12mp` says so and is skipped.
import path from 'node:path';
import { loadModels, modelsForTask, type ResolvedModel } from '../../../models/registry';
import { modelFolders, userModelFolders } from '../../paths';
import { runInChild } from '../child';
import type { EngineSpec } from '../engineChild';
import { photoFile } from '../photo';
import type { BenchContext, BenchResult, BenchRow, RowSource } from '../types';

const WIDTH = 4000;
const HEIGHT = 3000;
export const COLORIZE_12MP_LIMITS = { seconds: 10, peakRssMb: 1500 };

function row(m: ResolvedModel): BenchRow {
  const id = m.entry.id;
  const name = `colorize-12mp/${id}`;
  return {
    name,
    run: async (ctx: BenchContext): Promise<BenchResult> => {
      const spec: EngineSpec = {
        kind: 'engine',
        name,
        warmupInput: await photoFile(ctx.tmpDir, 640, 480, { gray: true }),
        input: await photoFile(ctx.tmpDir, WIDTH, HEIGHT, { gray: true }),
        output: path.join(ctx.tmpDir, `${id.replace(/\W+/g, '-')}-colorize-12mp.png`),
        format: 'png',
        steps: [{ task: 'colorize', model: id }],
        modelDirs: userModelFolders(ctx.modelDirs),
        threads: ctx.threads,
        tile: ctx.tile,
      };
      const r = await runInChild(ctx.script, spec);
      const seconds = Number(r.seconds), rss = Number(r.peakRssMb);
      return {
        name,
        seconds: r.seconds!,
        mpPerSec: Math.round(((WIDTH * HEIGHT) / 1e6 / seconds) * 100) / 100,
        peakRssMb: r.peakRssMb!,
        readSeconds: r.readSeconds!,
        colorizeSeconds: r.stepSeconds!,
        writeSeconds: r.writeSeconds!,
        workingSize: m.entry.workingSize ?? 512,
        threads: ctx.threads,
        parameters: m.entry.parameters,
        limitSeconds: COLORIZE_12MP_LIMITS.seconds,
        limitRssMb: COLORIZE_12MP_LIMITS.peakRssMb,
        withinLimit: seconds < COLORIZE_12MP_LIMITS.seconds && rss < COLORIZE_12MP_LIMITS.peakRssMb,
      };
    },
  };
}

const skipped: BenchRow = {
  name: 'colorize-12mp',
  run: async () => ({ name: 'colorize-12mp', skipped: 'no colorize model installed (models/manifest.json, the user model folder or --models-dir)' }),
};

const source: RowSource = async (ctx) => {
  const models = modelsForTask(await loadModels(modelFolders(ctx.modelDirs)), 'colorize');
  return models.length > 0 ? models.map(row) : [skipped];
};
export default source;
