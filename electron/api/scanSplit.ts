// The app's side of splitting a flatbed scan of several prints (electron/scan/): findPrints shows
// where the prints are before anything is written; splitScan writes them into a folder the user
// chose, as `<scan name>-1.<ext>`, ... Nothing is written when one of those names is taken and the
// user has not said to replace, and never over a photo opened in the app (an original).
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { TargetExistsError } from '../imageio/atomic';
import { ImageError } from '../imageio/errors';
import { printPath, splitFormat, locatePrints, splitScan, whyNoPrints } from '../scan/splitScan';
import type { FolderAccess } from './access';
import type { FileService } from './files';
import { ApiError, type ImageInfo, type ParsedArgsOf, type ScanPrints } from './contract';

function failed(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof TargetExistsError) return new ApiError('exists', `${e.file}: a file with this name already exists`);
  return new ApiError('failed', (e instanceof ImageError ? e.message : (e as Error).message).split('\n')[0] ?? 'split failed');
}

export async function findPrintsCall(access: FolderAccess, file: string): Promise<ScanPrints> {
  const scan = await access.check(file);
  try {
    const located = await locatePrints(scan);
    const { raster, prints, irregular } = located;
    return {
      width: raster.width,
      height: raster.height,
      prints: prints.map(({ cx, cy, width, height, angle }) => ({ cx, cy, width, height, angle })),
      irregular,
      ...(prints.length === 0 ? { reason: whyNoPrints(located) } : {}),
    };
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
    const { meta, prints } = await locatePrints(scan);
    const format = splitFormat({ format: args.options.format }, meta.format);
    for (let k = 1; k <= prints.length; k++) {
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
    }));
  } catch (e) {
    throw failed(e);
  }
  return { outputs: await Promise.all(outputs.map((o) => files.imageInfo(o))) };
}
