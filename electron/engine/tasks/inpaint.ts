// Inpaint: image + mask (a mask image file, white = fill, resized to the image when its size
// differs; or 'auto': the damage detector's mask, detectDamage.ts) -> image. The holes are first
// given a coarse push-pull fill (pushPull.ts; whatever the file holds there is ignored), then the
// model refines that at full resolution, as training feeds it (training/data/tasks.ts), with the
// mask channel (1 = fill); its output is
// composited only inside the mask, so every pixel outside the mask is bit-identical to the input.
// Gray images go through a colour model replicated and come back gray; alpha passes through.
// Tile windows that hold no mask pixel are not run (a few scratches on a 12 MP scan cost a few
// windows), and each window gets the model's `tileContext` of context instead of its full
// receptive field when the manifest gives one. An automatic mask that finds nothing leaves the
// image as it is and says so (settings.maskPercent 0). `tta` fills with the self-ensemble (mean
// over the 8 flips/rotations, selfEnsemble.ts): +0.06-0.17 dB on the eval masks, 8x the time.
import { readImage } from '../../imageio/read';
import type { Raster } from '../../imageio/types';
import { resizeChannel } from '../resample';
import { maxValue, rasterSource, type PixelBuffer } from '../sources';
import { pushPullPlane } from '../pushPull';
import type { TileSink } from '../tiling';
import { colourChannels, inferChannelPasses } from './infer';
import { AUTO_MASK } from '../protocol';
import { detectDamageMask } from './detectDamage';
import { cropPixels } from '../region';
import { DIHEDRAL_TRANSFORMS } from '../selfEnsemble';
import type { StepResult, TaskContext } from './types';

export interface InpaintStep {
  model?: string;
  /** Mask image path, or 'auto' (AUTO_MASK). */
  mask: string;
  detector?: string;
  threshold?: number;
  /** Self-ensemble (selfEnsemble.ts): the mean over 8 flips/rotations, 8x slower. */
  tta?: boolean;
}

/** Block occupancy of a mask (summed-area table over BLOCK x BLOCK blocks): is any pixel set in a rectangle? */
export function maskOccupancy(mask: Uint8Array, width: number, height: number): (x0: number, y0: number, w: number, h: number) => boolean {
  const B = 16;
  const bw = Math.ceil(width / B), bh = Math.ceil(height / B);
  const sat = new Uint32Array((bw + 1) * (bh + 1));
  const occ = new Uint8Array(bw * bh);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (mask[y * width + x]) occ[((y / B) | 0) * bw + ((x / B) | 0)] = 1;
  for (let by = 0; by < bh; by++) {
    let row = 0;
    for (let bx = 0; bx < bw; bx++) {
      row += occ[by * bw + bx]!;
      sat[(by + 1) * (bw + 1) + bx + 1] = sat[by * (bw + 1) + bx + 1]! + row;
    }
  }
  return (x0, y0, w, h) => {
    const a = Math.floor(x0 / B), b = Math.floor(y0 / B);
    const c = Math.min(bw, Math.ceil((x0 + w) / B)), d = Math.min(bh, Math.ceil((y0 + h) / B));
    return sat[d * (bw + 1) + c]! - sat[b * (bw + 1) + c]! - sat[d * (bw + 1) + a]! + sat[b * (bw + 1) + a]! > 0;
  };
}

/** Reads a mask image as one 0/255 channel at width x height (white, opaque = fill). */
export async function loadMask(file: string, width: number, height: number): Promise<PixelBuffer & { data: Uint8Array }> {
  const { raster } = await readImage(file);
  const max = maxValue(raster);
  const colour = colourChannels(raster);
  const n = raster.width * raster.height;
  const m = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    let s = 0;
    for (const c of colour) s += raster.data[p * raster.channels + c]!;
    let v = s / colour.length / max;
    if (raster.hasAlpha) v *= raster.data[p * raster.channels + raster.channels - 1]! / max;
    m[p] = v >= 0.5 ? 255 : 0;
  }
  let data = m;
  if (raster.width !== width || raster.height !== height) {
    data = new Uint8Array(width * height);
    resizeChannel(m, raster.width, raster.height, 1, 0, data, width, height, 1, 0);
    for (let i = 0; i < data.length; i++) data[i] = data[i]! >= 128 ? 255 : 0;
  }
  let any = false;
  for (let i = 0; i < data.length && !any; i++) any = data[i] !== 0;
  if (!any) throw new Error(`${file}: mask is empty (no white pixels to fill)`);
  return { width, height, channels: 1, data };
}

/** Writes model output rows into `out` only where the mask is set (mean of planes when replicated gray). */
function compositeSink(out: Raster, mask: Uint8Array, map: number[], replicated: boolean): TileSink {
  const max = maxValue(out);
  const { width, channels, data } = out;
  const clamp = (v: number): number => (v < 0 ? 0 : v > max ? max : v);
  return {
    writeRows(y0, rows, src) {
      const plane = rows * width;
      for (let r = 0; r < rows; r++) {
        for (let x = 0; x < width; x++) {
          const p = (y0 + r) * width + x;
          if (mask[p] === 0) continue;
          const i = r * width + x;
          if (replicated) {
            data[p * channels] = clamp(Math.round(((src[i]! + src[plane + i]! + src[2 * plane + i]!) / 3) * max));
          } else {
            for (let c = 0; c < map.length; c++) data[p * channels + map[c]!] = clamp(Math.round(src[c * plane + i]! * max));
          }
        }
      }
    },
  };
}

/** A copy of the raster whose colour channels hold the push-pull fill inside the mask. */
export function prefilled(raster: Raster, mask: Uint8Array): Raster {
  const out: Raster = { ...raster, data: raster.data.slice() };
  const { width, height, channels, data } = out;
  const n = width * height, max = maxValue(out);
  const plane = new Float32Array(n);
  for (const c of colourChannels(raster)) {
    for (let p = 0; p < n; p++) plane[p] = data[p * channels + c]! / max;
    pushPullPlane(plane, mask, width, height);
    for (let p = 0; p < n; p++) if (mask[p]) data[p * channels + c] = Math.round(Math.min(1, Math.max(0, plane[p]!)) * max);
  }
  return out;
}

export async function inpaint(raster: Raster, step: InpaintStep, ctx: TaskContext): Promise<StepResult> {
  const colour = colourChannels(raster);
  const picked = await ctx.catalog.pick('inpaint', { model: step.model, channels: colour.length });
  const { width, height } = raster;
  const detected = step.mask === AUTO_MASK ? await detectDamageMask(raster, { model: step.detector, threshold: step.threshold }, ctx) : null;
  const win = ctx.window;
  // A region run: the mask file is fitted to the whole photo, then cropped as the image was.
  const mask = detected ? { width, height, channels: 1, data: detected.data } : win ? cropPixels(await loadMask(step.mask, win.sourceWidth, win.sourceHeight), win) : await loadMask(step.mask, width, height);
  let filled = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) filled++;
  const settings: Record<string, number | string> = {
    mask: step.mask, maskPercent: Math.round((1e4 * filled) / mask.data.length) / 100,
    ...(detected ? { detector: detected.model, threshold: detected.threshold } : {}),
    ...(detected && detected.thresholdLow < detected.threshold ? { thresholdLow: detected.thresholdLow } : {}),
    ...(step.tta ? { tta: DIHEDRAL_TRANSFORMS.length } : {}),
  };
  if (filled === 0) return { raster, model: picked.entry.id, settings };
  const out: Raster = { ...raster, data: raster.data.slice() };
  const occupied = maskOccupancy(mask.data, width, height);
  const coarse = prefilled(raster, mask.data);
  await inferChannelPasses(ctx, picked, raster, ({ map, replicated }) => ({
    sources: { image: rasterSource(coarse, map), mask: rasterSource(mask, [0]) },
    sink: compositeSink(out, mask.data, map, replicated),
  }), step.tta, { skip: (x0, y0, w, h) => !occupied(x0, y0, w, h) });
  return { raster: out, model: picked.entry.id, settings };
}
