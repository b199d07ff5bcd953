// Atomic, careful file writing: never onto a protected path (an input), parent folders created,
// data written to a temporary file in the target folder, fsynced, then renamed over the target.
// On any failure the temporary file is removed and the target is left as it was. Safe for several
// processes writing into one tree at once (`--shard` jobs): fs.mkdir's recursive mode takes a
// folder created meanwhile by another process as success (no EEXIST), temporary names carry the
// pid and random bytes, and rename replaces the target whole (atomic.concurrent.test.ts).
// Temporary names are short whatever the target's name (./tempfiles.ts, which also removes the
// stale ones a killed process left). With `replace: false` an existing target is never replaced,
// not even one created a moment before the final step: the temporary is hard-linked to the target
// name (which fails when the name exists) instead of renamed over it (TargetExistsError).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ImageError } from './errors';
import { temporaryPath } from './tempfiles';
import { writeFailureReason } from './writeErrors';

async function statOrUndefined(file: string) {
  try {
    return await fs.stat(file);
  } catch {
    return undefined;
  }
}

/** Throws ImageError when `file` is, or is the same file on disk as, one of `protect`. */
export async function assertNotProtected(file: string, protect: readonly string[]): Promise<void> {
  if (protect.length === 0) return;
  const target = path.resolve(file);
  const refuse = () => new ImageError(file, 'refusing to overwrite an input file');
  for (const p of protect) if (path.resolve(p) === target) throw refuse();
  const st = await statOrUndefined(target);
  if (!st) return;
  for (const p of protect) {
    const ps = await statOrUndefined(p);
    if (ps && ps.dev === st.dev && ps.ino === st.ino) throw refuse();
  }
}

/** Creates `dir` (and its parents) for writing `file`; an ImageError with a plain reason otherwise. */
export async function ensureFolder(dir: string, file: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    throw new ImageError(file, `cannot create folder ${dir} (${await writeFailureReason(err, dir)})`, { cause: err });
  }
}

/** The target of a write with `replace: false` already exists (nothing was written). */
export class TargetExistsError extends ImageError {
  constructor(file: string) {
    super(file, 'a file with this name already exists');
    this.name = 'TargetExistsError';
  }
}

/** Puts the finished temporary at `file` without replacing anything there (link, or on file systems without hard links an exclusive check). */
async function placeWithoutReplacing(temp: string, file: string): Promise<void> {
  try {
    await fs.link(temp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new TargetExistsError(file);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'EMLINK') throw err;
    if (await fs.lstat(file).then(() => true, () => false)) throw new TargetExistsError(file);
    await fs.rename(temp, file);
    return;
  }
  await fs.rm(temp, { force: true });
}

/** Write `chunks` to `file` atomically. Errors are ImageErrors naming `file`. */
export async function atomicWrite(file: string, chunks: readonly Uint8Array[], protect: readonly string[] = [], opts: { replace?: boolean } = {}): Promise<void> {
  await assertNotProtected(file, protect);
  if (opts.replace === false && (await fs.lstat(file).then(() => true, () => false))) throw new TargetExistsError(file);
  const dir = path.dirname(path.resolve(file));
  await ensureFolder(dir, file);
  const temp = temporaryPath(dir);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(temp, 'wx');
    for (const c of chunks) {
      let off = 0;
      while (off < c.byteLength) {
        const { bytesWritten } = await handle.write(c, off, c.byteLength - off);
        off += bytesWritten;
      }
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (opts.replace === false) await placeWithoutReplacing(temp, file);
    else await fs.rename(temp, file);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    if (err instanceof TargetExistsError) throw err;
    throw new ImageError(file, `cannot write file (${await writeFailureReason(err, dir)})`, { cause: err });
  }
  await syncDir(dir);
}

/** fsync the folder so the rename itself survives a power loss (POSIX only; best effort). */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const h = await fs.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // some file systems refuse fsync on folders; the data itself is already synced
  }
}
