// Quick previews of a restore (the `preview` argument of the restore call): a downscaled PNG copy
// of the input in the session workspace (long side at most maxSide, EXIF orientation applied,
// cached per file version and size) and the chain's steps adapted to it: every colour point's
// x, y and radius scaled by the same factors as the image. The mask of an inpaint step needs
// nothing: the engine resizes a mask to the image it fills.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sharpPixels } from '../imageio/pixels';
import { DEFAULT_LIMIT_INPUT_PIXELS } from '../imageio/types';
import { probeDetails } from '../imageio/probe';
import type { TaskStep } from '../engine/protocol';

export interface PreviewCopy {
  /** The downscaled PNG. */
  path: string;
  /** Upright size of the original and of the copy. */
  source: { width: number; height: number };
  width: number;
  height: number;
}

/** Size of the preview copy of a width x height image, or null when it is already small enough. */
export function previewSize(width: number, height: number, maxSide: number): { width: number; height: number } | null {
  const long = Math.max(width, height);
  if (long <= maxSide) return null;
  const k = maxSide / long;
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

/**
 * Steps for the copy: colour points move with the pixels they sit on (pixel centres map onto
 * pixel centres, clamped to the copy), and an explicit radius shrinks by the mean factor. A
 * point without a radius keeps the engine's default, which is set in working-resolution pixels
 * and so already scales with the image.
 */
export function scaleStepsForPreview(steps: readonly TaskStep[], from: { width: number; height: number }, to: { width: number; height: number }): TaskStep[] {
  const kx = to.width / from.width;
  const ky = to.height / from.height;
  const map = (v: number, k: number, size: number): number => Math.min(size - 1, Math.max(0, (v + 0.5) * k - 0.5));
  return steps.map((s) => {
    if (s.task !== 'colorize' || !s.hints) return s;
    return {
      ...s,
      hints: s.hints.map((h) => ({
        x: map(h.x, kx, to.width),
        y: map(h.y, ky, to.height),
        color: h.color,
        ...(h.radius !== undefined ? { radius: (h.radius * (kx + ky)) / 2 } : {}),
      })),
    };
  });
}

/** Makes (or reuses) downscaled copies of inputs in `<workspace>/previews`. */
export class PreviewCopies {
  private readonly made = new Map<string, Promise<PreviewCopy | null>>();

  constructor(private readonly workspace: string) {}

  /** The copy of `input` for `maxSide`, or null when the input is no larger than that. */
  copyOf(input: string, maxSide: number): Promise<PreviewCopy | null> {
    return fs.stat(input).then((st) => {
      const key = `${input}\0${st.mtimeMs}\0${st.size}\0${maxSide}`;
      let made = this.made.get(key);
      if (!made) {
        made = this.make(input, maxSide, key);
        this.made.set(key, made);
        made.catch(() => this.made.delete(key));
      }
      return made;
    });
  }

  private async make(input: string, maxSide: number, key: string): Promise<PreviewCopy | null> {
    const details = await probeDetails(input);
    const source = { width: details.meta.width, height: details.meta.height };
    const size = previewSize(source.width, source.height, maxSide);
    if (!size) return null;
    const dir = path.join(this.workspace, 'previews');
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, `${createHash('sha256').update(key).digest('hex').slice(0, 24)}.png`);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
      await (await sharpPixels(input, { failOn: 'error', limitInputPixels: DEFAULT_LIMIT_INPUT_PIXELS, autoOrient: true }))
        .resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' })
        .png({ compressionLevel: 1 })
        .toFile(tmp);
      await fs.rename(tmp, file);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw new Error(`${input}: preview copy failed (${(e as Error).message.split('\n')[0]})`, { cause: e });
    }
    return { path: file, source, ...size };
  }
}
