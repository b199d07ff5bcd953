// The old-photo repair rows (issue 14), each a 12-megapixel gray scan (4000 x 3000, damage.ts:
// scratches and dust drawn over the bench photo) end to end through the engine in a child process
// of its own, ctx.threads threads: `detect-12mp/<id>` (the damage detector writes the mask),
// `inpaint-12mp/<id>` (fill the known mask: only windows holding damage run), and `repair-12mp`
// (the chain: detect + fill + grain reduction with the preferred old-print model). The issue-14
// budget for the chain: under 60 s on 2 threads and a peak RSS under 1500 MB (`withinLimit`).
import path from 'node:path';
import { loadModels, modelsForTask, type ResolvedModel } from '../../../models/registry';
import type { TaskStep } from '../../engine/protocol';
import { modelFolders, userModelFolders } from '../../paths';
import { runInChild } from '../child';
import { damagedPhotoFiles } from '../damage';
import type { EngineSpec } from '../engineChild';
import type { BenchContext, BenchResult, BenchRow, RowSource } from '../types';

const WIDTH = 4000;
const HEIGHT = 3000;
export const REPAIR_12MP_LIMITS = { seconds: 60, peakRssMb: 1500 };

function engineRow(name: string, steps: (files: { photo: string; mask: string }) => TaskStep[], extra: (m: ResolvedModel | null) => Record<string, number | string | boolean>, model: ResolvedModel | null, limits?: { seconds: number; peakRssMb: number }): BenchRow {
  return {
    name,
    run: async (ctx: BenchContext): Promise<BenchResult> => {
      const small = await damagedPhotoFiles(ctx.tmpDir, 640, 480);
      const files = await damagedPhotoFiles(ctx.tmpDir, WIDTH, HEIGHT);
      const spec: EngineSpec = {
        kind: 'engine', name, warmupInput: small.photo, input: files.photo,
        output: path.join(ctx.tmpDir, `${name.replace(/\W+/g, '-')}.png`), format: 'png',
        steps: steps(files), modelDirs: userModelFolders(ctx.modelDirs), threads: ctx.threads, tile: ctx.tile,
      };
      // The warm-up file has its own mask size: inpaint rows resize the 12 MP mask to it (loadMask).
      const r = await runInChild(ctx.script, spec);
      const seconds = Number(r.seconds), rss = Number(r.peakRssMb);
      return {
        name, seconds: r.seconds!, mpPerSec: Math.round(((WIDTH * HEIGHT) / 1e6 / seconds) * 100) / 100, peakRssMb: r.peakRssMb!,
        readSeconds: r.readSeconds!, stepSeconds: r.stepSeconds!, writeSeconds: r.writeSeconds!, threads: ctx.threads, ...extra(model),
        ...(limits ? { limitSeconds: limits.seconds, limitRssMb: limits.peakRssMb, withinLimit: seconds < limits.seconds && rss < limits.peakRssMb } : {}),
      };
    },
  };
}

const skippedRow = (name: string, what: string): BenchRow => ({ name, run: async () => ({ name, skipped: `no ${what} model installed (models/manifest.json, the user model folder or --models-dir)` }) });

const source: RowSource = async (ctx) => {
  const all = await loadModels(modelFolders(ctx.modelDirs));
  const detectors = modelsForTask(all, 'detect-damage');
  const inpainters = modelsForTask(all, 'inpaint');
  const params = (m: ResolvedModel | null): Record<string, number> => (m ? { parameters: m.entry.parameters } : {});
  const rows: BenchRow[] = [
    ...(detectors.length > 0 ? detectors.map((m) => engineRow(`detect-12mp/${m.entry.id}`, () => [{ task: 'detect-damage', model: m.entry.id }], params, m)) : [skippedRow('detect-12mp', 'detect-damage')]),
    ...(inpainters.length > 0 ? inpainters.map((m) => engineRow(`inpaint-12mp/${m.entry.id}`, (f) => [{ task: 'inpaint', model: m.entry.id, mask: f.mask }], params, m)) : [skippedRow('inpaint-12mp', 'inpaint')]),
  ];
  rows.push(detectors.length > 0 && inpainters.length > 0
    ? engineRow('repair-12mp', () => [{ task: 'inpaint', mask: 'auto' }, { task: 'denoise', sigma: 'auto', prefer: 'old-print' }], () => ({}), null, REPAIR_12MP_LIMITS)
    : skippedRow('repair-12mp', 'detect-damage or inpaint'));
  return rows;
};
export default source;
