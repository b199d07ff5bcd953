// The photos this session took in, whatever way they came (opened, uploaded or dropped, a batch's
// inputs), so that no write of the app ever replaces one (issue 16: an export over an uploaded
// photo's original replaced it). A target is an original when it is one by real path, by identity
// on disk (a hard link: same device and inode), or by content: an uploaded photo is a copy in the
// workspace, and the file it was copied from (wherever it sits on disk, unknown to the server) has
// exactly its bytes. Contents are compared only against originals of the target's size.
import { promises as fs } from 'node:fs';

interface Entry {
  path: string;
  size: number;
  dev: number;
  ino: number;
}

/** Registry of the session's input photos; every check reads the disk afresh. */
export class Originals {
  private readonly byPath = new Map<string, Entry>();

  /** Remember `file` (a real path) as an input; a file that cannot be read is skipped. */
  async add(file: string): Promise<void> {
    const st = await fs.stat(file).catch(() => null);
    if (!st?.isFile()) return;
    this.byPath.set(file, { path: file, size: st.size, dev: st.dev, ino: st.ino });
  }

  async addAll(files: readonly string[]): Promise<void> {
    for (let i = 0; i < files.length; i += 64) await Promise.all(files.slice(i, i + 64).map((f) => this.add(f)));
  }

  /** The original `target` (a real path) would overwrite, or null when it is none of them. */
  async originalAt(target: string): Promise<string | null> {
    if (this.byPath.has(target)) return target;
    const st = await fs.stat(target).catch(() => null);
    if (!st?.isFile()) return null;
    for (const e of this.byPath.values()) if (e.dev === st.dev && e.ino === st.ino) return e.path;
    for (const e of this.byPath.values()) {
      if (e.size !== st.size) continue;
      if (await sameBytes(e.path, target)) return e.path;
    }
    return null;
  }
}

/** True when both files can be read and hold the same bytes (compared in 1 MiB chunks). */
export async function sameBytes(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([fs.open(a, 'r').catch(() => null), fs.open(b, 'r').catch(() => null)]);
  try {
    if (!ha || !hb) return false;
    const size = 1 << 20;
    const ba = Buffer.alloc(size);
    const bb = Buffer.alloc(size);
    for (let pos = 0; ; pos += size) {
      const [ra, rb] = await Promise.all([ha.read(ba, 0, size, pos), hb.read(bb, 0, size, pos)]);
      if (ra.bytesRead !== rb.bytesRead) return false;
      if (ra.bytesRead === 0) return true;
      if (!ba.subarray(0, ra.bytesRead).equals(bb.subarray(0, rb.bytesRead))) return false;
    }
  } finally {
    await ha?.close();
    await hb?.close();
  }
}
