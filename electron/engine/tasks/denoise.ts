// Denoise: image + noise-level map (sigma/255, a strength slider 0-75 or estimated with
// noiseEstimate.ts) -> image. Gray images use a gray model when the manifest has one, else are
// replicated to 3 channels and averaged back; a gray model on a colour image runs per channel.
// Alpha is passed through untouched. A blind model (manifest noiseLevel: the old-print restorer)
// always gets its own fixed level; the strength setting and the estimate do not apply to it. A
// step may name a model to `prefer` when it is installed (repair prefers the old-print model).
// Otherwise the input file's kind steers the default pick (catalog.ts): a JPEG gets a model
// trained on JPEG noise, and `settings.input` says so.
import type { Raster } from '../../imageio/types';
import { degradationReason, inputDegradation } from '../catalog';
import { estimateNoiseSigma } from '../noiseEstimate';
import { DIHEDRAL_TRANSFORMS } from '../selfEnsemble';
import { constantSource, rasterMeanSink, rasterSink, rasterSource } from '../sources';
import { colourChannels, copyAlpha, inferChannelPasses, newRaster } from './infer';
import type { StepResult, TaskContext } from './types';

export interface DenoiseStep {
  model?: string;
  sigma: number | 'auto';
  /** Self-ensemble (selfEnsemble.ts): the mean over 8 flips/rotations, 8x slower. */
  tta?: boolean;
  /** Model id to use when installed (else the default pick); ignored when `model` is given. */
  prefer?: string;
}

export const MAX_SIGMA = 75;

export async function denoise(raster: Raster, step: DenoiseStep, ctx: TaskContext): Promise<StepResult> {
  const colour = colourChannels(raster);
  const degradation = inputDegradation(ctx.input);
  const byDefault = { channels: colour.length, ...(degradation ? { degradation } : {}) };
  const picked = await ctx.catalog.pick('denoise', step.model ?? step.prefer ? { model: step.model ?? step.prefer, channels: colour.length } : byDefault).catch((e: unknown) => {
    if (step.model !== undefined || step.prefer === undefined) throw e;
    return ctx.catalog.pick('denoise', byDefault);
  });
  const pickedFor = degradation && !step.model && picked.entry.degradations?.includes(degradation) ? degradationReason(degradation, ctx.input) : undefined;
  const fixed = picked.entry.noiseLevel;
  let sigma: number;
  if (fixed !== undefined) {
    sigma = fixed;
    if (step.sigma !== 'auto') ctx.log('warn', `${picked.entry.id} restores old prints at its own strength; strength ${step.sigma} does not apply to it`);
  } else if (step.sigma === 'auto') {
    // A region run estimates from the whole photo, as the full run does (the region alone may be flat).
    sigma = estimateNoiseSigma(ctx.window?.whole ?? raster, { colorChannels: colour.length });
  } else {
    if (!Number.isFinite(step.sigma) || step.sigma < 0 || step.sigma > MAX_SIGMA) {
      throw new Error(`sigma must be between 0 and ${MAX_SIGMA}, got ${step.sigma}`);
    }
    sigma = step.sigma;
  }
  if (fixed === undefined) sigma = Math.min(MAX_SIGMA, Math.max(0, sigma));
  const range = picked.entry.sigmaRange;
  if (range && (sigma < range[0] || sigma > range[1])) {
    ctx.log('warn', `${picked.entry.id}: sigma ${sigma.toFixed(1)} is outside the range it was trained for (${range[0]}-${range[1]})`);
  }
  const out = newRaster(raster, raster.width, raster.height);
  copyAlpha(raster, out);
  await inferChannelPasses(ctx, picked, raster, ({ map, replicated }) => ({
    sources: { image: rasterSource(raster, map), noise_level: constantSource(sigma / 255) },
    sink: replicated ? rasterMeanSink(out, 0, 3) : rasterSink(out, map),
  }), step.tta);
  return {
    raster: out,
    model: picked.entry.id,
    settings: {
      sigma: Math.round(sigma * 100) / 100,
      sigmaMode: fixed !== undefined ? 'fixed' : step.sigma === 'auto' ? 'auto' : 'manual',
      ...(step.tta ? { tta: DIHEDRAL_TRANSFORMS.length } : {}),
      ...(pickedFor ? { input: pickedFor } : {}),
    },
  };
}
