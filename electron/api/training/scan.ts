// What a training would learn from: the photos of the chosen folders (recursive, the formats the
// app reads, the trainer's own listing) and their megapixels (image headers only). A collection
// of fewer than MIN_PHOTOS photos is refused with the reason: some must be held out to check the
// result. It also counts the black-and-white and toned photos (api/grayness.ts, on a copy at most
// 256 px long, as the Restore view measures; a sample of 32 in a larger collection): Colourize learns
// from colour photos only (the trainer leaves the others out), so a collection with fewer than
// MIN_PHOTOS colour photos says so. Folders must lie inside the folders the user allowed.
import { promises as fs } from 'node:fs';
import { sharpPixels } from '../../imageio/pixels';
import { probeImage } from '../../imageio/probe';
import { ImageError } from '../../imageio/errors';
import { listImages } from '../../../training/data/images';
import type { FolderAccess } from '../access';
import { ApiError, type TrainingScan } from '../contract';
import { MONOCHROME_MEASURE_SIDE, rasterLooksMonochrome } from '../../engine/color/monochrome';

/** Fewest photos a training accepts: at least one held out and three to learn from. */
export const MIN_PHOTOS = 4;
/** Photos whose size is read for the megapixel count; beyond that it is extrapolated. */
const SIZE_SAMPLE = 500;
/**
 * Photos decoded (small) to count the black-and-white ones; beyond that, evenly spaced ones (a
 * 24 MP PNG scan takes ~0.4 s, a JPEG ~0.1 s with shrink-on-load; four at a time).
 */
const MONOCHROME_SAMPLE = 32;
const MONOCHROME_CONCURRENCY = 4;
/** Is the file a black-and-white or toned photo? null when it cannot be decoded. Decoded small
 * (shrink-on-load), then the engine's own test (engine/color/monochrome.ts). */
async function fileLooksMonochrome(file: string): Promise<boolean | null> {
  try {
    const { data, info } = await (await sharpPixels(file, { limitInputPixels: false }))
      .resize(MONOCHROME_MEASURE_SIDE, MONOCHROME_MEASURE_SIDE, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const channels = info.channels as 1 | 2 | 3 | 4;
    return rasterLooksMonochrome({ width: info.width, height: info.height, channels, hasAlpha: channels === 2 || channels === 4, depth: 8, data });
  } catch {
    return null;
  }
}

/** Evenly spaced files, at most `n`. */
function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor(((i + 0.5) * items.length) / n)] as T);
}

export interface ScannedFolders extends TrainingScan {
  /** Real paths of the folders. */
  real: string[];
}

export async function scanFolders(access: FolderAccess, folders: readonly string[]): Promise<ScannedFolders> {
  const real: string[] = [];
  const perFolder: TrainingScan['folders'] = [];
  const files: string[] = [];
  for (const folder of folders) {
    const dir = await access.check(folder);
    const st = await fs.stat(dir).catch(() => null);
    if (!st?.isDirectory()) throw new ApiError('not-found', `${folder}: not a folder`);
    if (real.includes(dir)) continue;
    let found: string[];
    try {
      found = await listImages(dir);
    } catch (e) {
      throw new ApiError('failed', (e as Error).message);
    }
    real.push(dir);
    perFolder.push({ folder: dir, photos: found.length });
    for (const f of found) if (!files.includes(f)) files.push(f);
  }
  const unreadable: TrainingScan['unreadable'] = [];
  let pixels = 0;
  let measured = 0;
  for (const f of files.slice(0, SIZE_SAMPLE)) {
    try {
      const m = await probeImage(f, { limitInputPixels: 0 });
      pixels += m.width * m.height;
      measured += 1;
    } catch (e) {
      if (unreadable.length < 5) unreadable.push({ file: f, reason: e instanceof ImageError ? e.reason : (e as Error).message.split('\n')[0] ?? 'unreadable' });
    }
  }
  const sampled = Math.min(files.length, SIZE_SAMPLE);
  const photos = files.length - Math.round(((sampled - measured) / Math.max(1, sampled)) * files.length);
  const megapixels = measured > 0 ? (pixels / measured) * photos / 1e6 : 0;
  const where = real.length === 1 ? real[0] : `${real.length} folders`;
  const tooSmall = photos < MIN_PHOTOS
    ? `Only ${photos} photo${photos === 1 ? '' : 's'} found in ${where}: at least ${MIN_PHOTOS} are needed, so that some can be held out to check whether the fine-tuned model really does better.`
    : undefined;
  const sample = spread(files, MONOCHROME_SAMPLE);
  const looks: Array<boolean | null> = [];
  for (let i = 0; i < sample.length; i += MONOCHROME_CONCURRENCY) {
    looks.push(...(await Promise.all(sample.slice(i, i + MONOCHROME_CONCURRENCY).map(fileLooksMonochrome))));
  }
  const monoMeasured = looks.filter((m) => m !== null).length;
  const mono = looks.filter((m) => m === true).length;
  const monochrome = monoMeasured === photos ? mono : Math.round((mono / Math.max(1, monoMeasured)) * photos);
  const colour = photos - monochrome;
  const tooFewColour = !tooSmall && colour < MIN_PHOTOS
    ? `Colourize learns from colour photos, and ${colour === 0 ? (photos === 1 ? 'the photo' : `all ${photos} photos`) : `all but ${colour} of the ${photos} photos`} in ${where} ${colour === 0 && photos === 1 ? 'is' : 'are'} black-and-white or toned${monoMeasured < photos ? ' (judged from a sample)' : ''}: add a folder of at least ${MIN_PHOTOS} colour photos like the ones you want to colourize (the same kind of people, places and era).`
    : undefined;
  return {
    photos, megapixels: Math.round(megapixels * 100) / 100, folders: perFolder, unreadable, ...(tooSmall ? { tooSmall } : {}),
    monochrome: { count: monochrome, measured: monoMeasured }, ...(tooFewColour ? { tooFewColour } : {}), real,
  };
}
