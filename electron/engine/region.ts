// Region runs (the app's 1:1 preview of the visible area): the chain runs on a window of the
// decoded photo (EXIF orientation applied) that holds the region plus a context margin, and the
// margin is cropped away afterwards (scaled by any upscale step), so the region equals the same
// window of a whole-photo run within float tolerance. The margin is the sum over the chain of each
// model's half context (tileContext, else receptive field; the damage detector's too for an
// automatic mask), in input pixels; the window's edges are aligned to REGION_ALIGN (from the
// photo's origin and from its far edges) so strided U-Nets see the pixel grid the whole-photo run's
// tiles see, also in the flipped passes of Max quality. Colourize is refused: its colour is
// predicted from the whole photo at working size, which a window cannot reproduce.
import type { TaskStep } from './protocol';
import { inputDegradation } from './catalog';
import type { InputKind, ModelCatalog, PickedModel } from './tasks/types';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Window origins are multiples of this (>= every shipped model's multipleOf). */
export const REGION_ALIGN = 32;

/** The pixels of `r` (any channel count) inside `rect`, as a new buffer of the same kind. */
export function cropPixels<T extends { width: number; height: number; channels: number; data: Uint8Array | Uint16Array }>(r: T, rect: Rect): T {
  const { channels } = r;
  const data = r.data instanceof Uint16Array ? new Uint16Array(rect.width * rect.height * channels) : new Uint8Array(rect.width * rect.height * channels);
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.y + y) * r.width + rect.x) * channels;
    data.set(r.data.subarray(from, from + rect.width * channels), y * rect.width * channels);
  }
  return { ...r, width: rect.width, height: rect.height, data } as T;
}

/** `region` (integer pixels) checked against a width x height photo; throws a one-line reason. */
export function checkRegion(region: Rect, width: number, height: number): Rect {
  const { x, y, width: w, height: h } = region;
  if (![x, y, w, h].every(Number.isInteger) || w < 1 || h < 1) throw new Error(`region ${w}x${h} at ${x},${y} is empty or not in whole pixels`);
  if (x < 0 || y < 0 || x + w > width || y + h > height) throw new Error(`region ${w}x${h} at ${x},${y} is outside the photo (${width}x${height})`);
  return region;
}

/**
 * The window (region + margin on every side) clipped to the photo, its edges aligned outwards: the
 * left/top at multiples of REGION_ALIGN from the photo's origin, the right/bottom at multiples from
 * the photo's far edges, so flipped and rotated passes (Max quality) see the same grid as well.
 */
export function contextWindow(region: Rect, margin: number, width: number, height: number): Rect {
  const A = REGION_ALIGN;
  const x0 = Math.max(0, Math.floor((region.x - margin) / A) * A);
  const y0 = Math.max(0, Math.floor((region.y - margin) / A) * A);
  const x1 = Math.min(width, width - Math.floor((width - (region.x + region.width + margin)) / A) * A);
  const y1 = Math.min(height, height - Math.floor((height - (region.y + region.height + margin)) / A) * A);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

const half = (m: PickedModel): number => Math.ceil((m.entry.tileContext ?? m.entry.receptiveField) / 2);

/** Context margin (input pixels) the chain needs so the region is unaffected by the window's edge. */
export async function chainMargin(steps: readonly TaskStep[], catalog: ModelCatalog, channels: number, input?: InputKind): Promise<number> {
  let margin = 0;
  let scale = 1;
  for (const s of steps) {
    let px: number;
    if (s.task === 'colorize') throw new Error('colorize cannot run on a region: its colour comes from the whole photo');
    if (s.task === 'denoise') {
      const degradation = inputDegradation(input);
      const ref = s.model ?? s.prefer;
      px = half(await catalog.pick('denoise', ref ? { model: ref, channels } : { channels, ...(degradation ? { degradation } : {}) }).catch(() => catalog.pick('denoise', { channels })));
    } else if (s.task === 'upscale') {
      px = half(await catalog.pick('upscale', { model: s.model, channels, scale: s.scale }));
    } else if (s.task === 'inpaint') {
      px = half(await catalog.pick('inpaint', { model: s.model, channels }));
      if (s.mask === 'auto') px += half(await catalog.pick('detect-damage', { model: s.detector, channels }));
    } else {
      px = half(await catalog.pick('detect-damage', { model: s.model, channels }));
    }
    margin += Math.ceil(px / scale);
    if (s.task === 'upscale') scale *= s.scale;
  }
  return margin;
}
