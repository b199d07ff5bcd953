// Whole-file super-resolution rows, end to end through the engine (engineChild.ts: decode, tiled
// model, PNG encode, atomic write) in a child process of their own, ctx.threads threads:
//  - `upscale-1mp-x4/<id>` for every x4 model: a 1-megapixel photo (1155 x 866 -> 4620 x 3464):
//    seconds, output megapixels per second and peak RSS;
//  - `upscale-16mp/<id>` for every upscale model: an input whose output is >= 16 megapixels
//    (4800 x 3600 = 17.3 MP: 1200 x 900 at x4, 2400 x 1800 at x2); the engine process's peak RSS
//    must stay under 1500 MB (the row fails above it).
// Without such models the rows `upscale-1mp-x4` / `upscale-16mp` say so and are skipped.
import path from 'node:path';
import { loadModels, modelsForTask, type ResolvedModel } from '../../../models/registry';
import { modelFolders, userModelFolders } from '../../paths';
import { runInChild } from '../child';
import type { EngineSpec } from '../engineChild';
import { photoFile } from '../photo';
import { round } from '../stats';
import type { BenchContext, BenchResult, BenchRow, RowSource } from '../types';

const MAX_RSS_MB = 1500;
const OUTPUT_16MP = { width: 4800, height: 3600 };

async function measure(ctx: BenchContext, m: ResolvedModel, name: string, width: number, height: number): Promise<BenchResult> {
  const scale = m.entry.scale as 2 | 4;
  const spec: EngineSpec = {
    kind: 'engine',
    name,
    warmupInput: await photoFile(ctx.tmpDir, 320, 240),
    input: await photoFile(ctx.tmpDir, width, height),
    output: path.join(ctx.tmpDir, `${name.replace(/\W+/g, '-')}.png`),
    format: 'png',
    steps: [{ task: 'upscale', model: m.entry.id, scale }],
    modelDirs: userModelFolders(ctx.modelDirs),
    threads: ctx.threads,
    tile: ctx.tile,
  };
  const r = await runInChild(ctx.script, spec);
  const seconds = Number(r.seconds);
  const outputMp = (width * height * scale * scale) / 1e6;
  return {
    name,
    seconds: r.seconds!,
    outputMpPerSec: round(outputMp / seconds),
    inputMp: round((width * height) / 1e6),
    outputMp: round(outputMp),
    peakRssMb: r.peakRssMb!,
    readSeconds: r.readSeconds!,
    upscaleSeconds: r.stepSeconds!,
    writeSeconds: r.writeSeconds!,
    tile: r.tile!,
    tiles: r.tiles!,
    scale,
    threads: ctx.threads,
    parameters: m.entry.parameters,
  };
}

function oneMegapixelRow(m: ResolvedModel): BenchRow {
  const name = `upscale-1mp-x4/${m.entry.id}`;
  return { name, run: (ctx) => measure(ctx, m, name, 1155, 866) };
}

function sixteenMegapixelRow(m: ResolvedModel): BenchRow {
  const name = `upscale-16mp/${m.entry.id}`;
  return {
    name,
    run: async (ctx) => {
      const s = m.entry.scale;
      const r = await measure(ctx, m, name, Math.ceil(OUTPUT_16MP.width / s), Math.ceil(OUTPUT_16MP.height / s));
      return { ...r, limitRssMb: MAX_RSS_MB, withinLimit: Number(r.peakRssMb) < MAX_RSS_MB };
    },
  };
}

const skipped = (name: string, what: string): BenchRow => ({
  name,
  run: async () => ({ name, skipped: `no ${what} installed (models/manifest.json, the user model folder or --models-dir)` }),
});

const source: RowSource = async (ctx) => {
  const models = modelsForTask(await loadModels(modelFolders(ctx.modelDirs)), 'upscale');
  const x4 = models.filter((m) => m.entry.scale === 4);
  return [
    ...(x4.length > 0 ? x4.map(oneMegapixelRow) : [skipped('upscale-1mp-x4', 'x4 upscale model')]),
    ...(models.length > 0 ? models.map(sixteenMegapixelRow) : [skipped('upscale-16mp', 'upscale model')]),
  ];
};
export default source;
