// Folder access control for the UI's file calls: a path is usable only inside a folder the user
// chose (`restore serve --allow`, a native dialog's pick, the session workspace). Paths are
// resolved through symlinks (realpath of the path, or of its nearest existing parent for an output
// that does not exist yet), so neither "..", nor a symlink, nor a case trick leads outside.
// openFile confines a read at the moment it happens: the file is opened without following a final
// link, and the open file must be the one the confined real path names (same device and inode),
// so a link swapped in after the check is not followed either. Folders the app keeps for itself
// (session workspace, kept results, saved session, training previews) are allowed but not listed:
// the folder browser and the export dialog offer only the user's own folders.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { ApiError } from './contract';

export class FolderAccess {
  private readonly roots: string[] = [];
  /** Allowed folders that belong to the app, not the user (not offered by list()). */
  private readonly internal = new Set<string>();

  constructor(roots: readonly string[] = []) {
    for (const r of roots) this.roots.push(path.resolve(r));
  }

  /**
   * Allow a folder (resolved to its real path when it exists); `internal`: one the app keeps for
   * itself, usable but not listed.
   */
  async allow(folder: string, opts: { internal?: boolean } = {}): Promise<void> {
    const real = await fs.realpath(path.resolve(folder)).catch(() => path.resolve(folder));
    if (!this.roots.includes(real)) this.roots.push(real);
    if (opts.internal) this.internal.add(real);
  }

  /** The user's allowed folders (the app's own are allowed too, but not listed). */
  list(): string[] {
    return this.roots.filter((r) => !this.internal.has(r));
  }

  /** The app's own allowed folders. */
  listInternal(): string[] {
    return [...this.internal];
  }

  /** Real path of `p` when it lies inside an allowed folder; else ApiError('forbidden'). */
  async check(p: string): Promise<string> {
    if (!path.isAbsolute(p)) throw new ApiError('forbidden', `${p}: not an absolute path`);
    const real = await realpathOrParent(path.resolve(p));
    const roots = await Promise.all(this.roots.map((r) => fs.realpath(r).catch(() => r)));
    if (!roots.some((root) => isInside(real, root))) {
      throw new ApiError('forbidden', `${p}: outside the folders you allowed`);
    }
    return real;
  }

  /**
   * Opens `p` for reading when its real path lies inside an allowed folder; the caller closes
   * the handle. ApiError('forbidden') outside, 'not-found' when it is not a readable file.
   */
  async openFile(p: string): Promise<{ handle: fs.FileHandle; real: string; size: number; mtimeMs: number }> {
    const real = await this.check(p);
    let handle: fs.FileHandle;
    try {
      // O_NONBLOCK: opening a FIFO must not wait for a writer (a worker thread stuck per request).
      handle = await fs.open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new ApiError('forbidden', `${p}: is a link that changed while it was opened`);
      throw new ApiError('not-found', `${p}: ${code === 'ENOENT' ? 'no such file' : `cannot open (${code ?? (e as Error).message})`}`);
    }
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw new ApiError('not-found', `${p}: not a file`);
      // The path may have been swapped for a link since check(): the open file must still be the confined one.
      const again = await fs.stat(await this.check(real)).catch(() => null);
      if (!again || again.dev !== st.dev || again.ino !== st.ino) throw new ApiError('forbidden', `${p}: changed while it was opened (a link to a file outside the folders you allowed?)`);
      return { handle, real, size: st.size, mtimeMs: st.mtimeMs };
    } catch (e) {
      await handle.close().catch(() => undefined);
      throw e;
    }
  }
}

/** True when `child` is `root` or inside it (both absolute, normalised). */
export function isInside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function realpathOrParent(p: string): Promise<string> {
  const missing: string[] = [];
  let cur = p;
  for (;;) {
    try {
      const real = await fs.realpath(cur);
      return missing.length ? path.join(real, ...missing.reverse()) : real;
    } catch {
      const up = path.dirname(cur);
      if (up === cur) return p;
      missing.push(path.basename(cur));
      cur = up;
    }
  }
}
