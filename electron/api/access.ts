// Folder access control for the UI's file calls: a path is usable only inside a folder the user
// chose (`restore serve --allow`, a native dialog's pick, the session workspace). Paths are
// resolved through symlinks (realpath of the path, or of its nearest existing parent for an output
// that does not exist yet), so neither "..", nor a symlink, nor a case trick leads outside.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ApiError } from './contract';

export class FolderAccess {
  private readonly roots: string[] = [];

  constructor(roots: readonly string[] = []) {
    for (const r of roots) this.roots.push(path.resolve(r));
  }

  /** Allow a folder (resolved to its real path when it exists). */
  async allow(folder: string): Promise<void> {
    const real = await fs.realpath(path.resolve(folder)).catch(() => path.resolve(folder));
    if (!this.roots.includes(real)) this.roots.push(real);
  }

  list(): string[] {
    return [...this.roots];
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
