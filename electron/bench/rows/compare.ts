// Comparison rows (issue 5): the UpscalerJS ESRGAN models (@upscalerjs/esrgan-{slim,medium,thick},
// TensorFlow.js wasm backend, devDependencies) next to our own upscalers, same machine, same run,
// same evaluation code (compare/compareChild.ts):
//  - `compare/esrgan-<slim|medium|thick>-x<2|4>`;
//  - `compare/ours-<model id>` for every upscale model (scale 2 or 4) of models/manifest.json, the
//    user model folder and --models-dir; without one, the row `compare/ours` says so (skipped).
// Fields: yPsnrSet5, yPsnrSet14, mpPerSec (OUTPUT megapixels per second on the fixed input),
// peakRssMb, threads, backend, and the bicubic baseline of the same sets. Each row runs in a
// child process of its own. The SR sets are shared/data/eval/sr beside the project folder, or
// RESTORE_BENCH_SR_DIR.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadModels, modelsForTask, type ResolvedModel } from '../../../models/registry';
import { appRoot, modelFolders } from '../../paths';
import { runInChild } from '../child';
import { ESRGAN_SCALES, ESRGAN_SIZES, type EsrganSize } from '../compare/esrganPackages';
import type { CompareSpec } from '../compare/compareChild';
import type { BenchContext, BenchRow, RowSource } from '../types';

/** thick x2 scores Set5 + Set14 in about 10 minutes on 2 cores; leave room for a loaded machine. */
const CHILD_TIMEOUT_MS = 60 * 60_000;

function srDir(): string {
  const dir = process.env.RESTORE_BENCH_SR_DIR ? path.resolve(process.env.RESTORE_BENCH_SR_DIR) : path.join(appRoot(), '..', 'shared', 'data', 'eval', 'sr');
  for (const sub of ['Set5', 'Set14']) {
    if (!existsSync(path.join(dir, sub))) throw new Error(`${path.join(dir, sub)}: missing (the super-resolution sets of shared/data/eval/sr; set RESTORE_BENCH_SR_DIR to their folder)`);
  }
  return dir;
}

/** The fixed speed input of every compare row: Set14 barbara (x2 HR img_002, 720x576), centre crop. */
function speedInput(dir: string): string {
  const file = path.join(dir, 'Set14', 'x2', 'HR', 'img_002.png');
  if (!existsSync(file)) throw new Error(`${file}: missing (the compare rows' fixed speed input)`);
  return file;
}

function row(name: string, model: CompareSpec['model']): BenchRow {
  return {
    name,
    run: async (ctx: BenchContext) => {
      const dir = srDir();
      const spec: CompareSpec = { kind: 'compare', name, model, srDir: dir, speedInput: speedInput(dir), threads: ctx.threads };
      return runInChild(ctx.script, spec, CHILD_TIMEOUT_MS);
    },
  };
}

const esrganRow = (size: EsrganSize, scale: 2 | 4): BenchRow => row(`compare/esrgan-${size}-x${scale}`, { runtime: 'esrgan', size, scale });
const oursRow = (m: ResolvedModel): BenchRow => row(`compare/ours-${m.entry.id}`, { runtime: 'onnx', entry: m.entry, path: m.path });

const source: RowSource = async (ctx) => {
  const ours = modelsForTask(await loadModels(modelFolders(ctx.modelDirs)), 'upscale').filter((m) => m.entry.scale === 2 || m.entry.scale === 4);
  const esrgan = ESRGAN_SIZES.flatMap((size) => ESRGAN_SCALES.map((scale) => esrganRow(size, scale)));
  const none: BenchRow = {
    name: 'compare/ours',
    run: async () => ({ name: 'compare/ours', skipped: 'no upscale model (scale 2 or 4) installed (models/manifest.json, the user model folder or --models-dir)' }),
  };
  return [...esrgan, ...(ours.length > 0 ? ours.map(oursRow) : [none])];
};
export default source;
