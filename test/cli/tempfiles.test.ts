// Temporary files of final outputs (issue 16, item 5). (1) A file name of 236-255 bytes is
// written: the temporary name does not grow with the target's name. (2) A run over an output
// folder removes the stale temporaries a killed run left there (ours only: our name patterns,
// with a dead writer pid or older than a few minutes), and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { HOST_TAG } from '../../electron/imageio/tempfiles';
import { listFiles, ofType, restore, tempDir, useTestModels, writeImage } from './helpers';

const models = useTestModels();
let dir: string;

beforeAll(async () => {
  dir = await tempDir('tempfiles');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (so no process has it, barring reuse). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('temporary files of outputs', () => {
  it('writes an output whose name is 255 bytes long', async () => {
    const name = `${'n'.repeat(251)}.png`; // 255 bytes, the usual file-name limit
    const input = path.join(dir, 'long', name);
    await writeImage(input, 40, 30);
    const out = path.join(dir, 'long-out');
    const r = await restore(['denoise', path.join(dir, 'long'), '-o', out, '--sigma', '10', '--json', '--models-dir', models().dir, '--threads', '1']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(ofType(r.events, 'file-done')).toHaveLength(1);
    expect(await listFiles(out)).toEqual([name]);
  });

  it('removes its own stale temporaries from the output folder, and nothing else', async () => {
    const input = path.join(dir, 'in');
    await writeImage(path.join(input, 'a.png'), 40, 30);
    await writeImage(path.join(input, 'sub', 'b.png'), 40, 30);
    const out = path.join(dir, 'out');
    await fs.mkdir(path.join(out, 'sub'), { recursive: true });
    const dead = deadPid();
    const hour = new Date(Date.now() - 3600_000);
    const minutes = new Date(Date.now() - 120_000);
    const otherHost = HOST_TAG === 'ffff' ? 'eeee' : 'ffff';
    const stale = [
      `.a.png.${dead}-0a1b2c3d.tmp`, // left by a killed run of an earlier version (dead writer, 2 minutes ago)
      `.rs-${dead.toString(36)}-${HOST_TAG}0a1b2c.tmp`, // ours, dead writer of this host
      path.join('sub', `.rs-${process.pid.toString(36)}-${HOST_TAG}99aa77.tmp`), // ours, live pid but an hour old
    ];
    const kept = [
      `.rs-${process.pid.toString(36)}-${HOST_TAG}112233.tmp`, // ours, writer alive and fresh: another job's write in flight
      `.rs-${dead.toString(36)}-${otherHost}112233.tmp`, // a fresh one of another host (shared output tree)
      '.keep.tmp', // not our pattern
      'notes.tmp',
      `.rs-x.tmp`,
      path.join('sub', `.b.png.${dead}.tmp`),
    ];
    for (const f of [...stale, ...kept]) await fs.writeFile(path.join(out, f), 'x'.repeat(1000));
    await fs.utimes(path.join(out, stale[0]!), minutes, minutes);
    await fs.utimes(path.join(out, stale[2]!), hour, hour);
    const r = await restore(['denoise', input, '-o', out, '-r', '--sigma', '10', '--json', '--models-dir', models().dir, '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    for (const f of stale) expect(existsSync(path.join(out, f)), f).toBe(false);
    for (const f of kept) expect(existsSync(path.join(out, f)), f).toBe(true);
    expect((await listFiles(out)).filter((f) => !path.basename(f).startsWith('.') && !f.endsWith('.tmp'))).toEqual(['a.png', path.join('sub', 'b.png')]);
  });

  it('removes stale temporaries also when every output exists (a rerun that skips all)', async () => {
    const out = path.join(dir, 'out');
    const dead = deadPid();
    const leftover = path.join(out, 'sub', `.rs-${dead.toString(36)}-${HOST_TAG}beef00.tmp`);
    await fs.writeFile(leftover, 'x');
    const r = await restore(['denoise', path.join(dir, 'in'), '-o', out, '-r', '--sigma', '10', '--json', '--models-dir', models().dir, '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(ofType(r.events, 'summary')[0]).toMatchObject({ skipped: 2 });
    expect(existsSync(leftover)).toBe(false);
  });
});
