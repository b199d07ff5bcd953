// The app's side of splitting a flatbed scan of several prints (electron/scan/): findPrints shows
// where the prints are before anything is written; splitScan writes them into a folder the user
// chose, as `<scan name>-1.<ext>`, ... Nothing is written when one of those names is taken and the
// user has not said to replace, and never over a photo opened in the app (an original).
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { TargetExistsError } from '../imageio/atomic';
import { ImageError } from '../imageio/errors';
import { printPath, readingOrder, splitFormat, locatePrints, splitScan, whyNoPrints } from '../scan/splitScan';
import { findPrints } from '../scan/findPrints';
import { sharpPixels } from '../imageio/pixels';
import { probeImage } from '../imageio/probe';
import type { Raster } from '../imageio/types';
import type { FolderAccess } from './access';
import type { FileService } from './files';
import { ApiError, type ImageInfo, type ParsedArgsOf, type ScanPrints } from './contract';

function failed(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof TargetExistsError) return new ApiError('exists', `${e.file}: a file with this name already exists`);
  return new ApiError('failed', (e instanceof ImageError ? e.message : (e as Error).message).split('\n')[0] ?? 'split failed');
}

/** Longest side of the copy findPrints looks at: enough to outline the prints, cheap on a 100 MP scan. */
const FIND_SIDE = 1600;

/**
 * Where the prints of a scan are, found on a copy of at most FIND_SIDE px a side (decoded shrunk
 * where the format allows), in the scan's upright pixels: quick enough to run when a photo opens.
 * splitScan finds them again on the full scan, and cuts what it finds there.
 */
export async function findPrintsCall(access: FolderAccess, file: string): Promise<ScanPrints> {
  const scan = await access.check(file);
  try {
    const meta = await probeImage(scan);
    const { data, info } = await (await sharpPixels(scan, { failOn: 'error', limitInputPixels: false }, scan))
      .rotate()
      .resize({ width: FIND_SIDE, height: FIND_SIDE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const small: Raster = { width: info.width, height: info.height, channels: 3, hasAlpha: false, depth: 8, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
    const found = findPrints(small);
    const k = meta.width / info.width;
    const prints = readingOrder(found.prints).map((p) => ({ cx: p.cx * k, cy: p.cy * k, width: p.width * k, height: p.height * k, angle: p.angle }));
    return { width: meta.width, height: meta.height, prints, irregular: found.irregular, ...(prints.length === 0 ? { reason: whyNoPrints(found) } : {}) };
  } catch (e) {
    throw failed(e);
  }
}

export async function splitScanCall(access: FolderAccess, files: FileService, args: ParsedArgsOf<'splitScan'>): Promise<{ outputs: ImageInfo[] }> {
  const scan = await access.check(args.path);
  const folder = await access.check(args.folder);
  if (!(await fs.stat(folder).then((s) => s.isDirectory(), () => false))) throw new ApiError('invalid-argument', `${args.folder}: not a folder`);
  await files.originals.add(scan);
  const stem = path.join(folder, path.basename(scan, path.extname(scan)));
  let outputs: string[];
  try {
    // names an original would take are refused before anything is written, whatever ifExists says
    const located = await locatePrints(scan);
    const format = splitFormat({ format: args.options.format }, located.meta.format);
    for (let k = 1; k <= located.prints.length; k++) {
      const target = printPath(stem, k, format);
      const original = await files.originals.originalAt(target);
      if (original) throw new ApiError('forbidden', `${target}: would overwrite ${original === target ? 'a photo opened in the app' : `a photo opened in the app (the same file as ${original})`}; choose another folder`);
    }
    ({ outputs } = await splitScan(scan, stem, {
      format: args.options.format,
      ...(args.options.depth !== undefined ? { depth: args.options.depth } : {}),
      ...(args.options.quality !== undefined ? { quality: args.options.quality } : {}),
      keepMetadata: args.options.keepMetadata,
      protect: [scan],
      replace: args.ifExists === 'replace',
    }, located));
  } catch (e) {
    throw failed(e);
  }
  return { outputs: await Promise.all(outputs.map((o) => files.imageInfo(o))) };
}
