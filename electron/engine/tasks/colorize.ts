// Colorize in Lab: L of the image (gray value, or L of a colour image) is area-averaged down to
// the model's workingSize, the model predicts ab (/128) from L/100 and the colour points (hints,
// rendered as its hint_ab / hint_mask inputs by color/hints.ts; their effect faded out before the
// network's reach ends, color/hintFade.ts), the points' colour is spread over
// their regions and stopped at edges of L (color/propagate.ts), the ab map is upsampled to full
// resolution guided by the ORIGINAL full-resolution L (color/upsample.ts, so colour does not bleed
// over edges) and recombined with that L, then converted back to sRGB. Only working-size planes
// and single rows are held in float. Alpha passes through. `saturation` scales ab (1 = as predicted).
// With `monochromeOnly` a colour photo is returned as it came (settings.skipped 'colour photo').
import type { Raster } from '../../imageio/types';
import { hintsToWorking, renderHints, validateHints, type ColorHint } from '../color/hints';
import { labToSrgb, lFromY, linearTable, luminance } from '../color/lab';
import { applyColorPoints } from '../color/hintFade';
import { guidedAbUpsampler } from '../color/upsample';
import { rasterLooksMonochrome } from '../color/monochrome';
import { maxValue, planeSink, planeSource } from '../sources';
import { colourChannels, inferTiled, newRaster } from './infer';
import type { StepResult, TaskContext } from './types';

export interface ColorizeStep {
  model?: string;
  /** Colour points in the input's pixel coordinates. */
  hints?: ColorHint[];
  /** Scale of the predicted ab, 0 (gray) to 2 (default 1). */
  saturation?: number;
  /** Only a black-and-white photo (color/monochrome.ts); a colour one passes through unchanged. */
  monochromeOnly?: boolean;
}

export const DEFAULT_WORKING_SIZE = 512;
/** settings.skipped of a colour photo that `monochromeOnly` passed through. */
export const COLOUR_PHOTO = 'colour photo';

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
  if (step.monochromeOnly && !rasterLooksMonochrome(raster)) {
    ctx.log('info', 'colour input: left as it is (colourize only black-and-white photos)');
    return { raster, model: entry.id, settings: { skipped: COLOUR_PHOTO } };
  }
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

  const points = hintsToWorking(hints, sw / W, sw, sh);
  const planes = renderHints(points, sw, sh);
  // The whole working-size image in one window (the colour of a region depends on all of it), as
  // the evaluation runs it: padded only to multipleOf, without the receptive-field context margin
  // that tiling needs (a 459 px margin would make the window ~4x the image).
  const whole = Math.ceil(Math.max(sw, sh) / entry.multipleOf) * entry.multipleOf;
  const predict = async (hintPlanes: typeof planes): Promise<Float32Array> => {
    const ab = new Float32Array(2 * sw * sh);
    await inferTiled({ ...ctx, tile: whole }, { ...picked, entry: { ...entry, receptiveField: 1 } }, {
      width: sw,
      height: sh,
      sources: {
        luma: planeSource(luma, sw, sh, 1),
        hint_ab: planeSource(hintPlanes.ab, sw, sh, 2),
        hint_mask: planeSource(hintPlanes.mask, sw, sh, 1),
      },
      sink: planeSink(ab, sw, sh, 2),
    });
    return ab;
  };
  const ab = await predict(planes);
  if (hints.length > 0) applyColorPoints(ab, await predict(renderHints([], sw, sh)), luma, sw, sh, points, planes, entry.receptiveField);

  // recombine: full-resolution L + ab upsampled along it
  const outChannels = raster.hasAlpha ? 4 : 3;
  const out = newRaster(raster, W, H, outChannels, raster.hasAlpha);
  const max = maxValue(out);
  const upsample = guidedAbUpsampler(ab, luma, sw, sh, W, H);
  const lRow = new Float32Array(W);
  const aRow = new Float32Array(W);
  const bRow = new Float32Array(W);
  const rgb = new Float32Array(3);
  const alpha = raster.hasAlpha ? raster.channels - 1 : -1;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) lRow[x] = Lof(y * W + x) / 100;
    upsample(y, lRow, aRow, bRow);
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      labToSrgb(100 * lRow[x]!, 128 * saturation * aRow[x]!, 128 * saturation * bRow[x]!, rgb);
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
