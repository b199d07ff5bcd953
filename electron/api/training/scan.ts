// What a training would learn from: the photos of the chosen folders (recursive, the formats the
// app reads, the trainer's own listing) and their megapixels (image headers only). A collection
// of fewer than MIN_PHOTOS photos is refused with the reason: some must be held out to check the
// result. Folders must lie inside the folders the user allowed.
import { promises as fs } from 'node:fs';
import sharp from 'sharp';
import { listImages } from '../../../training/data/images';
import type { FolderAccess } from '../access';
import { ApiError, type TrainingScan } from '../contract';

/** Fewest photos a training accepts: at least one held out and three to learn from. */
export const MIN_PHOTOS = 4;
/** Photos whose size is read for the megapixel count; beyond that it is extrapolated. */
const SIZE_SAMPLE = 500;

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
      const m = await sharp(f, { limitInputPixels: false }).metadata();
      pixels += (m.width ?? 0) * (m.height ?? 0);
      measured += 1;
    } catch (e) {
      if (unreadable.length < 5) unreadable.push({ file: f, reason: (e as Error).message.split('\n')[0] ?? 'unreadable' });
    }
  }
  const sampled = Math.min(files.length, SIZE_SAMPLE);
  const photos = files.length - Math.round(((sampled - measured) / Math.max(1, sampled)) * files.length);
  const megapixels = measured > 0 ? (pixels / measured) * photos / 1e6 : 0;
  const where = real.length === 1 ? real[0] : `${real.length} folders`;
  const tooSmall = photos < MIN_PHOTOS
    ? `Only ${photos} photo${photos === 1 ? '' : 's'} found in ${where}: at least ${MIN_PHOTOS} are needed, so that some can be held out to check whether the fine-tuned model really does better.`
    : undefined;
  return { photos, megapixels: Math.round(megapixels * 100) / 100, folders: perFolder, unreadable, ...(tooSmall ? { tooSmall } : {}), real };
}
