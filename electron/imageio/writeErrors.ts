// Plain reasons for failed writes. Node's recursive mkdir reports a read-only file system as
// ENOENT (it walks up after EROFS and reports the first error of the walk), and raw codes such as
// EACCES mean little to a user; this module turns them into "read-only file system", "folder ...
// is read-only (permission denied)", "disk full", checking the nearest existing folder when the
// code itself does not say.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';

/** The nearest existing ancestor of `dir` (itself if it exists). */
async function nearestExisting(dir: string): Promise<string> {
  let d = path.resolve(dir);
  for (;;) {
    const st = await fs.stat(d).catch(() => null);
    if (st) return d;
    const up = path.dirname(d);
    if (up === d) return d;
    d = up;
  }
}

function reasonForCode(code: string | undefined, folder: string): string | undefined {
  if (code === 'EROFS') return `${folder} is on a read-only file system`;
  if (code === 'EACCES' || code === 'EPERM') return `folder ${folder} is read-only for this user (permission denied)`;
  if (code === 'ENOSPC') return `no space left on the disk of ${folder}`;
  if (code === 'EDQUOT') return `disk quota exceeded on ${folder}`;
  return undefined;
}

/**
 * A one-line reason for `err`, thrown while creating or writing into `dir`. When the error's
 * own code is not telling (ENOENT from mkdir), the nearest existing folder is asked whether it
 * can be written.
 */
export async function writeFailureReason(err: unknown, dir: string): Promise<string> {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const direct = reasonForCode(code, await nearestExisting(dir));
  if (direct) return direct;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    const existing = await nearestExisting(dir);
    try {
      await fs.access(existing, constants.W_OK);
    } catch (e) {
      const why = reasonForCode((e as NodeJS.ErrnoException).code, existing);
      if (why) return why;
    }
  }
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}
