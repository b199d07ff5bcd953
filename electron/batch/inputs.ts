// Input enumeration for batch runs: turns the command line's file and folder arguments into a
// sorted, de-duplicated list of image files, each with its path relative to the folder it was
// found in (so outputs can mirror the input tree). Folders are searched one level deep unless
// `recursive`; hidden files and folders, editor/download temporaries and our own atomic-write
// temporaries are ignored, symlinked folders are not followed (no cycles). A file named
// explicitly is taken whatever its extension (the decoder sniffs the content).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { READABLE_FORMAT_NAMES, readableExtensions } from '../imageio/formats';

/** Extensions picked up when a folder is enumerated (imageio's readable ones). */
const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(readableExtensions);

export interface InputFile {
  /** Absolute path of the image. */
  path: string;
  /** Path relative to `root` (native separators). */
  rel: string;
  /** The folder argument it was found in, or the file's own folder for a file argument. */
  root: string;
  /** Index of the command-line argument it came from. */
  argIndex: number;
  /** True when it was found by enumerating a folder argument. */
  fromFolder: boolean;
}

export interface EnumerateOptions {
  recursive: boolean;
  cwd: string;
  /** Absolute folders never searched (e.g. the output folder when it lies inside an input folder). */
  exclude?: string[];
}

export interface EnumerateResult {
  files: InputFile[];
  /** Folder arguments that held no image (a hint is shown: maybe --recursive was meant). */
  emptyFolders: string[];
  /** Per folder argument, the files left out for their extension: extension (lower case, '' for
   * none) -> count. Only folders that held such files are listed. */
  otherFiles: Record<string, Record<string, number>>;
}

/** Thrown for an argument that does not exist or cannot be read (a usage error). */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'InputError';
  }
}

/** True for names that are never inputs: hidden files, temporaries, partial downloads. */
export function isIgnoredName(name: string): boolean {
  if (name.startsWith('.') || name.startsWith('~$') || name.endsWith('~')) return true;
  const lower = name.toLowerCase();
  return ['.tmp', '.temp', '.part', '.partial', '.crdownload', '.download', '.swp'].some((e) => lower.endsWith(e));
}

export function hasImageExtension(name: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase());
}

function isExcluded(dir: string, exclude: string[]): boolean {
  return exclude.some((e) => dir === e || dir.startsWith(e + path.sep));
}

async function walk(root: string, dir: string, recursive: boolean, exclude: string[], out: string[], others: Record<string, number>): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new InputError(dir, `cannot read folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (isIgnoredName(entry.name)) continue;
    const full = path.join(dir, entry.name);
    let isFile = entry.isFile();
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      // Follow links to files; never links to folders (cycles, surprises).
      const st = await fs.stat(full).catch(() => null);
      isFile = st?.isFile() ?? false;
      isDir = false;
    }
    if (isDir) {
      if (recursive && !isExcluded(full, exclude)) await walk(root, full, recursive, exclude, out, others);
    } else if (isFile && hasImageExtension(entry.name)) {
      out.push(full);
    } else if (isFile) {
      const ext = path.extname(entry.name).toLowerCase();
      others[ext] = (others[ext] ?? 0) + 1;
    }
  }
}

/** Expands file and folder arguments into image files (deduplicated by real path, order kept). */
export async function enumerateInputs(args: string[], opts: EnumerateOptions): Promise<EnumerateResult> {
  const exclude = (opts.exclude ?? []).map((e) => path.resolve(opts.cwd, e));
  const files: InputFile[] = [];
  const emptyFolders: string[] = [];
  const otherFiles: EnumerateResult['otherFiles'] = {};
  const seen = new Set<string>();
  for (const [argIndex, arg] of args.entries()) {
    const abs = path.resolve(opts.cwd, arg);
    const st = await fs.stat(abs).catch((e: NodeJS.ErrnoException) => {
      throw new InputError(arg, e.code === 'ENOENT' ? 'no such file or folder' : `cannot read (${e.code ?? e.message})`);
    });
    const found: Array<Omit<InputFile, 'argIndex'>> = [];
    if (st.isDirectory()) {
      const list: string[] = [];
      const others: Record<string, number> = {};
      await walk(abs, abs, opts.recursive, exclude, list, others);
      if (list.length === 0) emptyFolders.push(arg);
      if (Object.keys(others).length > 0) otherFiles[arg] = others;
      for (const f of list) found.push({ path: f, rel: path.relative(abs, f), root: abs, fromFolder: true });
    } else if (st.isFile()) {
      found.push({ path: abs, rel: path.basename(abs), root: path.dirname(abs), fromFolder: false });
    } else {
      throw new InputError(arg, 'not a regular file or folder');
    }
    for (const f of found) {
      const key = await fs.realpath(f.path).catch(() => f.path);
      if (seen.has(key)) continue;
      seen.add(key);
      files.push({ ...f, argIndex });
    }
  }
  return { files, emptyFolders, otherFiles };
}

/** What folders that held no image did hold, for their note: "3 files of other kinds: 2 .psd, 1
 * without extension (readable: JPEG, ...)" (most common first, several folders' counts together),
 * or '' when they held nothing at all. */
export function describeOtherFiles(...groups: Record<string, number>[]): string {
  const others: Record<string, number> = {};
  for (const g of groups) for (const [ext, n] of Object.entries(g)) others[ext] = (others[ext] ?? 0) + n;
  const entries = Object.entries(others).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const total = entries.reduce((n, [, c]) => n + c, 0);
  if (total === 0) return '';
  const kinds = entries.slice(0, 5).map(([ext, c]) => `${c} ${ext || 'without extension'}`);
  if (entries.length > 5) kinds.push('...');
  return `${total} file${total === 1 ? '' : 's'} of other kinds: ${kinds.join(', ')} (readable: ${READABLE_FORMAT_NAMES})`;
}
