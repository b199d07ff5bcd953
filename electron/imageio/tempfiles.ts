// Temporary files of atomic writes: their names and the removal of stale ones.
//
// A temporary sits in the target's folder (so the final rename stays on one file system) under a
// short name that does not grow with the target's: `.rs-<pid base 36>-<host tag><random>.tmp`
// (at most 27 bytes), so any target name the file system accepts (up to 255 bytes) can be written.
// The host tag (4 hex digits of a hash of the host name) tells whether the pid is one of this
// machine's (shard jobs on several hosts may share an output tree).
//
// A process killed during a write leaves its temporary behind. sweepStaleTemporaries(dir) removes
// ours only: names of our pattern (or of the pattern of earlier versions,
// `.<target name>.<pid>-<8 hex>.tmp`), regular files, and stale: untouched for STALE_MS, or written
// by a process of this host that no longer exists. A temporary of a live writer (another job
// writing into the same folder) is never touched; nothing else in the folder is either.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A temporary untouched for this long is stale whoever wrote it (an atomic write takes seconds). */
export const STALE_MS = 10 * 60_000;
/** Earlier versions' names carry no host: their pid is trusted only after this long. */
const LEGACY_GRACE_MS = 60_000;

/** 4 hex digits identifying this machine in temporary names. */
export const HOST_TAG = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 4);

const OURS = /^\.rs-([0-9a-z]{1,13})-([0-9a-f]{4})[0-9a-f]{6}\.tmp$/;
const LEGACY = /^\..+\.(\d{1,10})-[0-9a-f]{8}\.tmp$/;

/** A fresh temporary path in `dir` for a write by this process. */
export function temporaryPath(dir: string): string {
  return path.join(dir, `.rs-${process.pid.toString(36)}-${HOST_TAG}${randomBytes(3).toString('hex')}.tmp`);
}

/** True when no process with this pid exists on this machine. */
function pidIsDead(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: alive, someone else's
  }
}

/** Whether `name` (untouched for `ageMs`) is a stale temporary of ours. */
export function isStaleTemporary(name: string, ageMs: number): boolean {
  const ours = OURS.exec(name);
  if (ours) return ageMs >= STALE_MS || (ours[2] === HOST_TAG && pidIsDead(parseInt(ours[1]!, 36)));
  const legacy = LEGACY.exec(name);
  if (legacy) return ageMs >= STALE_MS || (ageMs >= LEGACY_GRACE_MS && pidIsDead(Number(legacy[1])));
  return false;
}

/**
 * Removes the stale temporaries of our atomic writes from `dir` (not its subfolders); returns how
 * many. Best effort: a folder that cannot be read, or a file that cannot be removed, is left.
 */
export async function sweepStaleTemporaries(dir: string, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith('.') || !name.endsWith('.tmp')) continue;
    const file = path.join(dir, name);
    const st = await fs.lstat(file).catch(() => null);
    if (!st?.isFile() || !isStaleTemporary(name, now - st.mtimeMs)) continue;
    try {
      await fs.unlink(file);
      removed += 1;
    } catch {
      // gone meanwhile, or not ours to remove after all
    }
  }
  return removed;
}
