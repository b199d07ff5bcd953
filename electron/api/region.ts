// The restore call's `region` (a 1:1 preview of the visible area): clipped to the photo's upright
// size, refused with a clear reason when nothing of it lies on the photo or the chain cannot run
// on part of a photo (colorize: its colour is predicted from the whole photo).
import { probeDetails } from '../imageio/probe';
import type { TaskStep } from '../engine/protocol';
import { ApiError, type PhotoRegion } from './contract';
import { failureCode } from './failureCode';

/** `region` clipped to a width x height photo; ApiError 'invalid-argument' when none of it is on the photo. */
export function clipRegion(region: PhotoRegion, width: number, height: number, name: string): PhotoRegion {
  const x0 = Math.max(0, region.x);
  const y0 = Math.max(0, region.y);
  const x1 = Math.min(width, region.x + region.width);
  const y1 = Math.min(height, region.y + region.height);
  if (x1 <= x0 || y1 <= y0) {
    throw new ApiError('invalid-argument', `${name}: region ${region.width}x${region.height} at ${region.x},${region.y} lies outside the photo (${width}x${height})`);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The clipped region for `input` and `steps`, or the refusal. */
export async function regionFor(region: PhotoRegion, input: string, steps: readonly TaskStep[], name: string): Promise<PhotoRegion> {
  if (steps.some((s) => s.task === 'colorize')) {
    throw new ApiError('invalid-argument', `${name}: a region cannot be colourized on its own (the colour comes from the whole photo); restore the whole photo or use preview`);
  }
  const { meta } = await probeDetails(input).catch((e: unknown) => {
    throw new ApiError(failureCode(e), (e as Error).message.split('\n')[0] ?? 'unreadable photo');
  });
  return clipRegion(region, meta.width, meta.height, name);
}
