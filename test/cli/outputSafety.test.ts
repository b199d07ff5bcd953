// Unsafe or impossible outputs (issue 16, item 8). (1) An output that is the input through a
// symlink or a hard link is refused when the run is planned (exit 2, nothing processed), not when
// the engine writes. (2) A read-only output file system is reported as read-only (not as ENOENT
// from mkdir): a private mount namespace (unshare -m) holds a read-only tmpfs; skipped where that
// is not permitted. (3) kill -9 of the CLI mid-file: its engine process exits without printing
// an EPIPE stack trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, NO_USER_MODELS, ofType, restore, sha256, tempDir, useTestModels, writeImage, type Event } from './helpers';

const models = useTestModels();
let dir: string;

beforeAll(async () => {
  dir = await tempDir('outsafety');
  await writeImage(path.join(dir, 'in', 'a.png'), 64, 48);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const args = (input: string, out: string, extra: string[] = []): string[] =>
  ['denoise', input, '-o', out, '--sigma', '10', '--json', '--models-dir', models().dir, '--threads', '1', ...extra];

describe('output equal to the input through a link', () => {
  it('refuses an output folder that is a symlink to the input folder at planning (exit 2)', async () => {
    const link = path.join(dir, 'out-link');
    await fs.symlink(path.join(dir, 'in'), link);
    const before = await sha256(path.join(dir, 'in', 'a.png'));
    const r = await restore(args(path.join(dir, 'in'), link));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/a\.png.*would overwrite an input/);
    expect(ofType(r.events, 'file-failed')).toEqual([]);
    expect(await sha256(path.join(dir, 'in', 'a.png'))).toBe(before);
  });

  it('refuses an output file that is a symlink or a hard link to the input (exit 2)', async () => {
    const input = path.join(dir, 'in', 'a.png');
    const sym = path.join(dir, 'sym.png');
    const hard = path.join(dir, 'hard.png');
    await fs.symlink(input, sym);
    await fs.link(input, hard);
    const before = await sha256(input);
    for (const out of [sym, hard]) {
      const r = await restore(args(input, out));
      expect(r.code, `${out}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/would overwrite an input/);
      expect(r.events.filter((e) => e.type === 'file-failed' || e.type === 'file-done')).toEqual([]);
    }
    expect(await sha256(input)).toBe(before);
  });
});

function canMountReadOnly(): boolean {
  const r = spawnSync('unshare', ['-m', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs -o ro tmpfs "$d" && umount "$d"; rc=$?; rmdir "$d"; exit $rc'], { encoding: 'utf8' });
  return r.status === 0;
}

describe('read-only output', () => {
  it.skipIf(!canMountReadOnly())('says "read-only" for a read-only file system, not ENOENT from mkdir', async () => {
    const ro = path.join(dir, 'ro');
    await fs.mkdir(ro);
    const script = `mount -t tmpfs -o ro tmpfs "$1" && shift && exec "$@"`;
    for (const out of [path.join(ro, 'new', 'sub', 'out.png'), path.join(ro, 'out.png')]) {
      const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', ro, process.execPath, BIN, ...args(path.join(dir, 'in', 'a.png'), out)], {
        encoding: 'utf8',
        env: { ...process.env, XDG_DATA_HOME: NO_USER_MODELS },
        timeout: 60_000,
      });
      expect(r.status, r.stderr).toBe(1);
      const failed = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Event).filter((e) => e.type === 'file-failed');
      expect(failed).toHaveLength(1);
      expect(String(failed[0]!.error)).toMatch(/read-only/);
      expect(String(failed[0]!.error)).not.toMatch(/ENOENT|EROFS/);
    }
  });
});

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  return / Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ''));
}

describe('kill -9 of the CLI', () => {
  it('the engine process exits quietly (no EPIPE stack trace)', async () => {
    await writeImage(path.join(dir, 'big', 'b.png'), 1600, 1200);
    // three times: whether the engine notices the closed channel before its next send is a race
    for (let attempt = 0; attempt < 3; attempt++) {
      let enginePid: number | undefined;
      const r = await restore(args(path.join(dir, 'big', 'b.png'), path.join(dir, 'big-out.png'), ['--tile', '32']), {
        env: { RESTORE_DEBUG_EVENTS: '1' },
        timeoutMs: 60_000,
        onEvent: (e, child) => {
          if (e.type === 'debug' && e.event === 'file-start') enginePid = Number(e.pid);
          // mid-file, while tiles (small: a progress message after each) are being sent
          if (e.type === 'progress' && Number(e.fraction) > 0 && enginePid !== undefined) child.kill('SIGKILL');
        },
      });
      expect(enginePid).toBeGreaterThan(0);
      expect(r.signal).toBe('SIGKILL');
      // 'close' came after the engine (which shares the stderr pipe) exited: gone, or a zombie
      // where nothing reaps orphans
      expect(isGone(enginePid!)).toBe(true);
      expect(r.stderr).not.toMatch(/EPIPE|ERR_IPC|Error:|\n\s+at /);
    }
  });
});
