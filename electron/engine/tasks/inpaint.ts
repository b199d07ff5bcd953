// Inpaint: image + mask (a mask image file, white = fill; resized to the image when its size
// differs) -> image. The model sees the image with the holes set to black, as training feeds it
// (training/data/tasks.ts), and the mask channel (1 = fill); its output is
// composited only inside the mask, so every pixel outside the mask is bit-identical to the input.
// Gray images go through a colour model replicated and come back gray; alpha passes through.
import { readImage } from '../../imageio/read';
import type { Raster } from '../../imageio/types';
import { resizeChannel } from '../resample';
import { holedSource, maxValue, rasterSource, type PixelBuffer } from '../sources';
import type { TileSink } from '../tiling';
import { colourChannels, inferChannelPasses } from './infer';
import type { StepResult, TaskContext } from './types';

export interface InpaintStep {
  model?: string;
  mask: string;
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

export async function inpaint(raster: Raster, step: InpaintStep, ctx: TaskContext): Promise<StepResult> {
  const colour = colourChannels(raster);
  const picked = await ctx.catalog.pick('inpaint', { model: step.model, channels: colour.length });
  const mask = await loadMask(step.mask, raster.width, raster.height);
  const out: Raster = { ...raster, data: raster.data.slice() };
  let filled = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) filled++;
  await inferChannelPasses(ctx, picked, raster, ({ map, replicated }) => ({
    sources: { image: holedSource(rasterSource(raster, map), rasterSource(mask, [0])), mask: rasterSource(mask, [0]) },
    sink: compositeSink(out, mask.data, map, replicated),
  }));
  return {
    raster: out,
    model: picked.entry.id,
    settings: { mask: step.mask, maskPercent: Math.round((1000 * filled) / mask.data.length) / 10 },
  };
}
