// Inference rows: `infer/<model id>` for every installed model (app manifest and --models-dir;
// mpPerSec counts input pixels, outputMpPerSec output pixels, which differ for upscalers),
// `infer/ref-*` for reference architectures with seeded weights (so the harness is exercised
// before trained models exist), and `infer-large/ref-dncnn3-50mp`: a 50-megapixel image through a
// small denoise-shaped model, whose peak RSS shows that tiling keeps memory bounded (< 1500 MB).
// `infer-tta/<model id>`: every installed denoise and upscale model on the same image as its
// self-ensemble ("Max quality": 8 transforms per tile), with the plain run measured just before
// it (plainMpPerSec) and slowdown = plain / TTA throughput (8 in theory, plus the transforms and the
// averaging). Each row runs in its own child process (peakRssMb is that process's own).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { dncnn } from '../../../models/architectures/dncnn';
import { unet } from '../../../models/architectures/unet';
import type { ArchitectureResult } from '../../../models/architectures/types';
import { serializeModel } from '../../../models/onnx/serialize';
import { loadModels, sha256File, type ResolvedModel } from '../../../models/registry';
import { manifestEntryFor } from '../../../models/entry';
import { modelFolders } from '../../paths';
import { runInChild } from '../child';
import { DIHEDRAL_TRANSFORMS } from '../../engine/selfEnsemble';
import { round } from '../stats';
import type { InferSpec } from '../inferChild';
import type { BenchContext, BenchResult, BenchRow, RowSource } from '../types';

/** Size of the image measured by infer/* rows (0.5 MP). */
const WIDTH = 1024;
const HEIGHT = 512;

interface RefModel {
  id: string;
  build: () => ArchitectureResult;
  width: number;
  height: number;
  tile: number;
  /** Peak RSS the row must stay under (the row fails above it). */
  maxRssMb?: number;
}

const REFERENCES: RefModel[] = [
  { id: 'infer/ref-dncnn17', build: () => dncnn({ channels: 3, depth: 17, width: 64, noiseLevelInput: true, seed: 1 }), width: WIDTH, height: HEIGHT, tile: 512 },
  {
    id: 'infer/ref-unet3',
    build: () => unet({ inChannels: 3, outChannels: 3, widths: [32, 64, 128], residual: true, extraInputs: [{ name: 'noise_level', role: 'noise_level', channels: 1 }], seed: 1 }),
    width: WIDTH,
    height: HEIGHT,
    tile: 512,
  },
  { id: 'infer-large/ref-dncnn3-50mp', build: () => dncnn({ channels: 3, depth: 3, width: 16, noiseLevelInput: true, seed: 1 }), width: 10_000, height: 5_000, tile: 1024, maxRssMb: 1500 },
];

function refRow(ref: RefModel): BenchRow {
  return {
    name: ref.id,
    run: async (ctx: BenchContext) => {
      const arch = ref.build();
      const file = `${ref.id.replace(/\W+/g, '-')}.onnx`;
      const full = path.join(ctx.tmpDir, file);
      await fs.writeFile(full, serializeModel(arch.model));
      const entry = manifestEntryFor(arch, { id: ref.id.replace(/^.*\//, ''), task: 'denoise', file, sha256: await sha256File(full), architecture: ref.id, recommendedTile: ref.tile });
      const spec: InferSpec = { kind: 'infer', name: ref.id, entry, path: full, width: ref.width, height: ref.height, threads: ctx.threads, tile: ctx.tile };
      const result: BenchResult = { ...(await runInChild(ctx.script, spec)), parameters: arch.parameters };
      if (ref.maxRssMb === undefined) return result;
      return { ...result, limitRssMb: ref.maxRssMb, withinLimit: Number(result.peakRssMb) < ref.maxRssMb };
    },
  };
}

function installedRow(m: ResolvedModel): BenchRow {
  const e = m.entry;
  return {
    name: `infer/${e.id}`,
    run: async (ctx: BenchContext) => ({ ...(await runInChild(ctx.script, installedSpec(m, `infer/${e.id}`, ctx))), parameters: e.parameters }),
  };
}

function installedSpec(m: ResolvedModel, name: string, ctx: BenchContext, selfEnsemble = false): InferSpec {
  // Colorize models run on L downscaled to their working size; measure them there.
  const side = m.entry.workingSize ?? Infinity;
  return { kind: 'infer', name, entry: m.entry, path: m.path, width: Math.min(WIDTH, side), height: Math.min(HEIGHT, side), threads: ctx.threads, tile: ctx.tile, selfEnsemble };
}

function ttaRow(m: ResolvedModel): BenchRow {
  const name = `infer-tta/${m.entry.id}`;
  return {
    name,
    run: async (ctx: BenchContext) => {
      const plain = await runInChild(ctx.script, installedSpec(m, name, ctx));
      const tta = await runInChild(ctx.script, installedSpec(m, name, ctx, true));
      const plainMpPerSec = Number(plain.mpPerSec);
      return { ...tta, passes: DIHEDRAL_TRANSFORMS.length, plainMpPerSec, slowdown: round(plainMpPerSec / Number(tta.mpPerSec)), parameters: m.entry.parameters };
    },
  };
}

const source: RowSource = async (ctx) => {
  const models = await loadModels(modelFolders(ctx.modelDirs));
  const ensembled = models.filter((m) => m.entry.task === 'denoise' || m.entry.task === 'upscale');
  return [...models.map(installedRow), ...REFERENCES.map(refRow), ...ensembled.map(ttaRow)];
};
export default source;
