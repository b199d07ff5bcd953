// Detect-damage: photo -> mask of scratches, dust, hair, cracks and stains (255 = damage, 0 = keep)
// from the damage detector: its probability map thresholded at the model's calibrated threshold
// (manifest `threshold`, or a user's) and, where the manifest gives `thresholdLow`, followed along
// connected pixels down to that (hysteresis, ../hysteresis.ts), then grown by `grow` pixels so a
// fill covers a scratch's soft rim. Gray photos are replicated into the colour model. As a step it returns the mask as a
// one-channel 8-bit raster (`restore detect-damage` writes it); inpaint uses detectDamageMask.
import type { Raster } from '../../imageio/types';
import { rasterSource } from '../sources';
import { colourChannels, inferChannelPasses } from './infer';
import { damageThresholds, hysteresisMask } from '../hysteresis';
import { ROTATION_TRANSFORMS } from '../selfEnsemble';
import type { StepResult, TaskContext } from './types';

export interface DetectDamageStep {
  model?: string;
  /** Probability (0-1) at which a pixel is marked; default the model's calibrated threshold. */
  threshold?: number;
  /** Pixels to grow the marked area by; default the model's. */
  grow?: number;
}

export interface DamageMask {
  /** width x height, 255 = damage. */
  data: Uint8Array;
  width: number;
  height: number;
  model: string;
  threshold: number;
  /** The hysteresis threshold marks were followed down to (= threshold: none). */
  thresholdLow: number;
  grow: number;
  /** Share of the pixels marked, percent. */
  percent: number;
}

/** Grows the 255-pixels of a mask by r (square neighbourhood; two separable passes). */
export function growMask(m: Uint8Array, width: number, height: number, r: number): Uint8Array {
  if (r <= 0) return m;
  const rows = new Uint8Array(m.length);
  for (let y = 0; y < height; y++) {
    let last = -Infinity;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      if (m[o + x]) last = x;
      if (x - last <= r) rows[o + x] = 255;
    }
    last = Infinity;
    for (let x = width - 1; x >= 0; x--) {
      if (m[o + x]) last = x;
      if (last - x <= r) rows[o + x] = 255;
    }
  }
  const out = new Uint8Array(m.length);
  for (let x = 0; x < width; x++) {
    let last = -Infinity;
    for (let y = 0; y < height; y++) {
      if (rows[y * width + x]) last = y;
      if (y - last <= r) out[y * width + x] = 255;
    }
    last = Infinity;
    for (let y = height - 1; y >= 0; y--) {
      if (rows[y * width + x]) last = y;
      if (last - y <= r) out[y * width + x] = 255;
    }
  }
  return out;
}

export async function detectDamageMask(raster: Raster, step: DetectDamageStep, ctx: TaskContext): Promise<DamageMask> {
  const picked = await ctx.catalog.pick('detect-damage', { model: step.model, channels: colourChannels(raster).length });
  const { high, low } = damageThresholds(picked.entry, step.threshold);
  const grow = step.grow ?? picked.entry.grow ?? 0;
  const { width, height } = raster;
  // Plain thresholding marks rows as they come; hysteresis needs the whole map first (kept at 16
  // bits, half the memory of floats).
  const follow = low < high;
  const marks = new Uint8Array(width * height);
  const prob = follow ? new Uint16Array(width * height) : null;
  await inferChannelPasses(ctx, picked, raster, ({ map }) => ({
    sources: { image: rasterSource(raster, map) },
    sink: {
      writeRows(y0, rows, src) {
        for (let i = 0, o = y0 * width; i < rows * width; i++, o++) {
          const p = src[i] as number;
          if (prob) prob[o] = p <= 0 ? 0 : p >= 1 ? 65535 : Math.round(p * 65535);
          else if (p >= high) marks[o] = 255;
        }
      },
    },
  }), picked.entry.rotationEnsemble ? ROTATION_TRANSFORMS : false);
  if (prob) {
    const followed = hysteresisMask(prob, width, height, Math.round(high * 65535), Math.round(low * 65535));
    for (let i = 0; i < followed.length; i++) if (followed[i]) marks[i] = 255;
  }
  const mask = growMask(marks, width, height, grow);
  let marked = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) marked++;
  return { data: mask, width, height, model: picked.entry.id, threshold: high, thresholdLow: low, grow, percent: Math.round((1e4 * marked) / mask.length) / 100 };
}

export async function detectDamage(raster: Raster, step: DetectDamageStep, ctx: TaskContext): Promise<StepResult> {
  const m = await detectDamageMask(raster, step, ctx);
  return {
    raster: { width: m.width, height: m.height, channels: 1, hasAlpha: false, depth: 8, data: m.data },
    model: m.model,
    settings: { threshold: m.threshold, ...(m.thresholdLow < m.threshold ? { thresholdLow: m.thresholdLow } : {}), grow: m.grow, markedPercent: m.percent },
  };
}
