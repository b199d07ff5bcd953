// Colorize in Lab: L of the image (gray value, or L of a colour image) is area-averaged down to
// the model's workingSize, the model predicts ab (/128) from L/100, the ab map is upsampled
// bilinearly to full resolution and recombined with the ORIGINAL full-resolution L, then
// converted back to sRGB. Only the small L and ab maps are held in float. Alpha passes through.
// Colour points (hints) are rendered at the working resolution as the model's hint_ab / hint_mask
// inputs (color/hints.ts); `saturation` scales the predicted ab (1 = as predicted).
import type { Raster } from '../../imageio/types';
import { hintsToWorking, renderHints, validateHints, type ColorHint } from '../color/hints';
import { labToSrgb, lFromY, linearTable, luminance } from '../color/lab';
import { axisTable } from '../resample';
import { maxValue, planeSink, planeSource } from '../sources';
import { colourChannels, inferTiled, newRaster } from './infer';
import type { StepResult, TaskContext } from './types';

export interface ColorizeStep {
  model?: string;
  /** Colour points in the input's pixel coordinates. */
  hints?: ColorHint[];
  /** Scale of the predicted ab, 0 (gray) to 2 (default 1). */
  saturation?: number;
}

export const DEFAULT_WORKING_SIZE = 512;

/** Per-pixel L (0-100) reader for gray or RGB rasters. */
function lReader(r: Raster): (pixel: number) => number {
  const lin = linearTable(maxValue(r));
  const { data, channels } = r;
  if (colourChannels(r).length === 1) return (p) => lFromY(lin[data[p * channels]!]!);
  return (p) => {
    const o = p * channels;
    return lFromY(luminance(lin[data[o]!]!, lin[data[o + 1]!]!, lin[data[o + 2]!]!));
  };
}

export async function colorize(raster: Raster, step: ColorizeStep, ctx: TaskContext): Promise<StepResult> {
  const picked = await ctx.catalog.pick('colorize', { model: step.model });
  const { entry } = picked;
  if (entry.output.role !== 'ab' || entry.output.channels !== 2) throw new Error(`${picked.path}: colorize model must output ab (2 channels)`);
  const W = raster.width;
  const H = raster.height;
  const hints = validateHints(step.hints ?? [], W, H);
  const saturation = step.saturation ?? 1;
  if (!(saturation >= 0 && saturation <= 2)) throw new Error(`saturation ${saturation} is outside 0-2`);
  const takesHints = entry.inputs.some((i) => i.role === 'hint_ab') && entry.inputs.some((i) => i.role === 'hint_mask');
  if (hints.length > 0 && !takesHints) throw new Error(`${entry.id}: this colorize model does not take colour points`);
  if (colourChannels(raster).length === 3) ctx.log('info', 'colour input: colourized from its lightness (L), its own colours are replaced');
  const ws = entry.workingSize ?? DEFAULT_WORKING_SIZE;
  const k = Math.min(1, ws / Math.max(W, H));
  const sw = Math.max(1, Math.round(W * k));
  const sh = Math.max(1, Math.round(H * k));
  const Lof = lReader(raster);

  // area-average L into the working-size plane (luma = L / 100)
  const sum = new Float64Array(sw * sh);
  const count = new Uint32Array(sw * sh);
  const bx = Int32Array.from({ length: W }, (_, x) => Math.min(sw - 1, Math.floor((x * sw) / W)));
  for (let y = 0; y < H; y++) {
    const by = Math.min(sh - 1, Math.floor((y * sh) / H)) * sw;
    for (let x = 0; x < W; x++) {
      const i = by + bx[x]!;
      sum[i]! += Lof(y * W + x);
      count[i]! += 1;
    }
  }
  const luma = new Float32Array(sw * sh);
  for (let i = 0; i < luma.length; i++) luma[i] = sum[i]! / Math.max(1, count[i]!) / 100;

  const ab = new Float32Array(2 * sw * sh);
  const planes = renderHints(hintsToWorking(hints, sw / W, sw, sh), sw, sh);
  // The whole working-size image in one window (the colour of a region depends on all of it), as
  // the evaluation runs it: padded only to multipleOf, without the receptive-field context margin
  // that tiling needs (a 459 px margin would make the window ~4x the image).
  const whole = Math.ceil(Math.max(sw, sh) / entry.multipleOf) * entry.multipleOf;
  await inferTiled({ ...ctx, tile: whole }, { ...picked, entry: { ...entry, receptiveField: 1 } }, {
    width: sw,
    height: sh,
    sources: {
      luma: planeSource(luma, sw, sh, 1),
      hint_ab: planeSource(planes.ab, sw, sh, 2),
      hint_mask: planeSource(planes.mask, sw, sh, 1),
    },
    sink: planeSink(ab, sw, sh, 2),
  });

  // recombine: full-resolution L + bilinear ab
  const outChannels = raster.hasAlpha ? 4 : 3;
  const out = newRaster(raster, W, H, outChannels, raster.hasAlpha);
  const max = maxValue(out);
  const tx = axisTable(sw, W);
  const ty = axisTable(sh, H);
  const plane = sw * sh;
  const rgb = new Float32Array(3);
  const alpha = raster.hasAlpha ? raster.channels - 1 : -1;
  for (let y = 0; y < H; y++) {
    const r0 = ty.i0[y]! * sw;
    const r1 = ty.i1[y]! * sw;
    const fy = ty.t[y]!;
    for (let x = 0; x < W; x++) {
      const a0 = tx.i0[x]!;
      const a1 = tx.i1[x]!;
      const fx = tx.t[x]!;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const a = 128 * saturation * (ab[r0 + a0]! * w00 + ab[r0 + a1]! * w01 + ab[r1 + a0]! * w10 + ab[r1 + a1]! * w11);
      const b = 128 * saturation * (ab[plane + r0 + a0]! * w00 + ab[plane + r0 + a1]! * w01 + ab[plane + r1 + a0]! * w10 + ab[plane + r1 + a1]! * w11);
      const p = y * W + x;
      labToSrgb(Lof(p), a, b, rgb);
      const o = p * outChannels;
      out.data[o] = Math.round(rgb[0]! * max);
      out.data[o + 1] = Math.round(rgb[1]! * max);
      out.data[o + 2] = Math.round(rgb[2]! * max);
      if (alpha >= 0) out.data[o + 3] = raster.data[p * raster.channels + alpha]!;
    }
    if (ctx.signal?.aborted) throw new Error('cancelled');
  }
  return { raster: out, model: entry.id, settings: { workingSize: ws, hints: hints.length, saturation } };
}
