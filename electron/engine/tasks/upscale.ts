// Upscale x2 / x4 with a sub-pixel model whose manifest scale matches. Colour channels go through
// the model (gray replicated and averaged back); alpha is upscaled separately with bilinear
// resampling so the model never sees it.
import type { Raster } from '../../imageio/types';
import { resizeChannel } from '../resample';
import { DIHEDRAL_TRANSFORMS } from '../selfEnsemble';
import { rasterMeanSink, rasterSink, rasterSource } from '../sources';
import { colourChannels, inferChannelPasses, newRaster } from './infer';
import type { StepResult, TaskContext } from './types';

export interface UpscaleStep {
  model?: string;
  scale: 2 | 4;
  /** Self-ensemble (selfEnsemble.ts): the mean over 8 flips/rotations, 8x slower. */
  tta?: boolean;
}

export async function upscale(raster: Raster, step: UpscaleStep, ctx: TaskContext): Promise<StepResult> {
  if (step.scale !== 2 && step.scale !== 4) throw new Error(`scale must be 2 or 4, got ${String(step.scale)}`);
  const colour = colourChannels(raster);
  const picked = await ctx.catalog.pick('upscale', { model: step.model, channels: colour.length, scale: step.scale });
  if (picked.entry.scale !== step.scale) {
    throw new Error(`${picked.entry.id}: model upscales x${picked.entry.scale}, x${step.scale} was asked`);
  }
  const s = step.scale;
  const out = newRaster(raster, raster.width * s, raster.height * s);
  await inferChannelPasses(ctx, picked, raster, ({ map, replicated }) => ({
    sources: { image: rasterSource(raster, map) },
    sink: replicated ? rasterMeanSink(out, 0, 3) : rasterSink(out, map),
  }), step.tta);
  if (raster.hasAlpha) {
    const a = raster.channels - 1;
    resizeChannel(raster.data, raster.width, raster.height, raster.channels, a, out.data, out.width, out.height, out.channels, a);
  }
  return { raster: out, model: picked.entry.id, settings: { scale: s, ...(step.tta ? { tta: DIHEDRAL_TRANSFORMS.length } : {}) } };
}
