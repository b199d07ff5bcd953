// Kept results (issue 16 item 4): every restored image lands in <user data>/results/ instead of
// the session's temporary workspace, so a result not yet exported survives a page reload, a
// server stop and an app restart. Beside each <id>.png a sidecar <id>.json says what made it
// (the original, the steps, the processing record written into an export) and whether it was
// exported. The folder is bounded: past the cap, exported results go first, then the oldest;
// pinned files (the one just made, the one the session shows) are never removed. clear() empties
// it (Settings' "Clear"). A missing or unreadable sidecar makes a result unknown, never a crash.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { atomicWrite } from '../imageio/atomic';
import type { KeptResultsInfo, RestoreResult } from './contract';

/** Default bound of the kept results (bytes). */
export const DEFAULT_KEPT_RESULTS_CAP = 2 * 1024 ** 3;

/** What made a kept result (RestoreResult's fields), from which photo, and whether it was exported. */
export type KeptResultMeta = Pick<RestoreResult, 'provider' | 'seconds' | 'steps' | 'preview' | 'region'> & {
  /** The photo it was made from (real path). */
  original: string;
  createdAt: string;
  /** The processing record an export of it writes into the file's metadata. */
  provenance: Record<string, string>;
  exportedAt?: string;
};

interface Entry {
  file: string;
  bytes: number;
  mtimeMs: number;
  meta: KeptResultMeta | null;
}

export class ResultStore {
  constructor(
    readonly dir: string,
    readonly capBytes: number = DEFAULT_KEPT_RESULTS_CAP,
  ) {}

  /** Where the result of job `jobId` is written. */
  pathFor(jobId: string): string {
    return path.join(this.dir, `${jobId}.png`);
  }

  /** True when `file` (a real path) is a result in this store. */
  holds(file: string): boolean {
    return path.dirname(file) === this.dir && file.endsWith('.png');
  }

  async ensure(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
  }

  /**
   * Records a new result's sidecar, then removes results over the cap (exported first, then the
   * oldest), never one of `pinned` nor `file` itself. Returns what was removed.
   */
  async add(file: string, meta: KeptResultMeta, pinned: readonly string[] = []): Promise<{ removed: number; unexported: number }> {
    await this.writeMeta(file, meta);
    return this.evict([file, ...pinned]);
  }

  async meta(file: string): Promise<KeptResultMeta | null> {
    try {
      const raw = JSON.parse(await fs.readFile(sidecarOf(file), 'utf8')) as KeptResultMeta;
      return raw && typeof raw === 'object' && typeof raw.original === 'string' && Array.isArray(raw.steps) ? raw : null;
    } catch {
      return null;
    }
  }

  async markExported(file: string): Promise<void> {
    const meta = await this.meta(file);
    if (meta && !meta.exportedAt) await this.writeMeta(file, { ...meta, exportedAt: new Date().toISOString() });
  }

  /** Deletes one result and its sidecar (a preview replaced by a newer one). */
  async remove(file: string): Promise<void> {
    await fs.rm(file, { force: true });
    await fs.rm(sidecarOf(file), { force: true });
  }

  async usage(): Promise<KeptResultsInfo> {
    const entries = await this.entries();
    return {
      dir: this.dir,
      bytes: entries.reduce((n, e) => n + e.bytes, 0),
      count: entries.length,
      unexported: entries.filter((e) => !e.meta?.exportedAt).length,
      capBytes: this.capBytes,
    };
  }

  /** Removes every kept result; returns the usage afterwards. */
  async clear(): Promise<KeptResultsInfo> {
    for (const e of await this.entries()) await this.remove(e.file);
    // Sidecars left without their image (a restore still being written keeps its temporary file).
    for (const name of await fs.readdir(this.dir).catch(() => [] as string[])) {
      if (name.endsWith('.json')) await fs.rm(path.join(this.dir, name), { force: true });
    }
    return this.usage();
  }

  private async evict(pinned: readonly string[]): Promise<{ removed: number; unexported: number }> {
    const entries = await this.entries();
    let total = entries.reduce((n, e) => n + e.bytes, 0);
    const out = { removed: 0, unexported: 0 };
    if (total <= this.capBytes) return out;
    const keep = new Set(pinned);
    // Exported ones first (they are safe in the user's file), each group oldest first.
    const order = entries
      .filter((e) => !keep.has(e.file))
      .sort((a, b) => Number(!a.meta?.exportedAt) - Number(!b.meta?.exportedAt) || a.mtimeMs - b.mtimeMs);
    for (const e of order) {
      if (total <= this.capBytes) break;
      await this.remove(e.file);
      total -= e.bytes;
      out.removed += 1;
      if (!e.meta?.exportedAt) out.unexported += 1;
    }
    return out;
  }

  private async entries(): Promise<Entry[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const out: Entry[] = [];
    for (const name of names) {
      if (!name.endsWith('.png')) continue;
      const file = path.join(this.dir, name);
      const st = await fs.stat(file).catch(() => null);
      if (!st?.isFile()) continue;
      out.push({ file, bytes: st.size, mtimeMs: st.mtimeMs, meta: await this.meta(file) });
    }
    return out;
  }

  private async writeMeta(file: string, meta: KeptResultMeta): Promise<void> {
    await atomicWrite(sidecarOf(file), [Buffer.from(JSON.stringify(meta, null, 2) + '\n')]);
  }
}

function sidecarOf(file: string): string {
  return file.replace(/\.png$/, '.json');
}
