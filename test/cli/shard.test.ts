// `--shard K/N` end to end (docs/cluster.md): three real `restore` processes, started at the same
// time on one folder tree and writing one output tree, each process its own shard; every file is
// done exactly once across them, in the shard its path hashes to, nothing else lands in the tree.
// Then: deleted outputs of one shard are redone by rerunning that shard alone (the others' gaps
// stay); a shard killed with SIGKILL (CLI and engine, as a preempted node) leaves no partial file
// and its rerun finishes only its own missing files; --dry-run shows only the shard's plan; a bad
// K/N is a usage error (exit 2, one line) on every processing command, which all list --shard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { ModelDir } from '../../electron/engine/test/models';
import { runCli } from '../../electron/cli/dispatch';
import { listFiles, NO_USER_MODELS, ofType, restore, tempDir, testModels, writeImage, type Event, type RunResult } from './helpers';

let dir: string;
let models: ModelDir;
/** Input files relative to in/, "/"-separated. */
const TREE: string[] = [];
const SIZE = { width: 48, height: 32 };

beforeAll(async () => {
  dir = await tempDir('shard');
  models = await testModels();
  const folders = ['', 'roll 1', 'roll 1/neg', 'été 1970', 'b'];
  for (let i = 0; i < 20; i++) TREE.push(`${folders[i % folders.length]}${i % folders.length ? '/' : ''}img${String(i).padStart(2, '0')}.png`.replace(/^\//, ''));
  for (const rel of TREE) await writeImage(path.join(dir, 'in', ...rel.split('/')), SIZE.width, SIZE.height);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
  await models.cleanup();
});

/** The documented rule, computed here independently: first 48 bits of sha256(rel) mod N. */
const shardOfRel = (rel: string, count: number): number => createHash('sha256').update(rel.normalize('NFC')).digest().readUIntBE(0, 6) % count;
const rel = (inputOrOutput: string, root: string): string => path.relative(root, inputOrOutput).split(path.sep).join('/');
const args = (out: string, shard: string, ...extra: string[]): string[] =>
  ['denoise', path.join(dir, 'in'), '-o', out, '-r', '--sigma', '10', '--json', '--shard', shard, '--models-dir', models.dir, '--threads', '1', ...extra];
const doneInputs = (r: RunResult): string[] => ofType(r.events, 'file-done').map((e) => rel(String(e.input), path.join(dir, 'in')));
const skippedInputs = (r: RunResult): string[] => ofType(r.events, 'file-skipped').map((e) => rel(String(e.input), path.join(dir, 'in')));
const visible = async (d: string): Promise<string[]> =>
  (await listFiles(d).catch(() => [] as string[])).filter((f) => !path.basename(f).startsWith('.')).map((f) => f.split(path.sep).join('/'));

async function expectWhole(out: string, files: string[]): Promise<void> {
  for (const f of files) {
    const m = await sharp(path.join(out, ...f.split('/'))).metadata();
    expect([m.width, m.height], f).toEqual([SIZE.width, SIZE.height]);
    await sharp(path.join(out, ...f.split('/'))).raw().toBuffer(); // decodes to the end
  }
}

describe('--shard K/N', () => {
  let out: string;

  it('three shards at once: every file done exactly once, each in its hashed shard, one clean output tree', async () => {
    out = path.join(dir, 'out');
    const runs = await Promise.all([0, 1, 2].map((k) => restore(args(out, `${k}/3`), { timeoutMs: 90_000 })));
    const seen = new Map<string, number>();
    for (const [k, r] of runs.entries()) {
      expect(r.code, r.stderr).toBe(0);
      const mine = TREE.filter((f) => shardOfRel(f, 3) === k);
      expect(doneInputs(r).sort()).toEqual([...mine].sort());
      expect(skippedInputs(r)).toEqual([]);
      expect(ofType(r.events, 'summary')[0]).toMatchObject({ done: mine.length, skipped: 0, failed: 0, shard: { index: k, count: 3 } });
      expect(ofType(r.events, 'progress').every((p) => p.total === mine.length)).toBe(true);
      expect(r.stderr).toContain(`shard ${k}/3: ${mine.length} of ${TREE.length} files`);
      for (const f of doneInputs(r)) seen.set(f, (seen.get(f) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual([...TREE].sort());
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    // Each shard got some work (the split is by hash, so sizes differ a little).
    expect(runs.every((r) => ofType(r.events, 'file-done').length > 0)).toBe(true);
    // Exactly the mirrored tree: no temporary file, no state file, nothing twice.
    expect(await listFiles(out).then((l) => l.map((f) => f.split(path.sep).join('/')))).toEqual([...TREE].sort());
    await expectWhole(out, TREE);
  });

  it('deleted outputs: rerunning one shard redoes only its own missing files', async () => {
    const of0 = TREE.filter((f) => shardOfRel(f, 3) === 0);
    const of2 = TREE.filter((f) => shardOfRel(f, 3) === 2);
    const gone = [of0[0]!, of0[of0.length - 1]!, of2[0]!];
    for (const f of gone) await fs.rm(path.join(out, ...f.split('/')));
    const r = await restore(args(out, '0/3'), { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(doneInputs(r).sort()).toEqual([of0[0]!, of0[of0.length - 1]!].sort());
    expect(skippedInputs(r).sort()).toEqual(of0.filter((f) => !gone.includes(f)).sort());
    expect(ofType(r.events, 'summary')[0]).toMatchObject({ done: 2, skipped: of0.length - 2, failed: 0, shard: { index: 0, count: 3 } });
    // Shard 2's gap is shard 2's business.
    expect(await visible(out)).toEqual(TREE.filter((f) => f !== of2[0]).sort());
    // Without --json the summary line names the shard.
    const human = await restore(args(out, '1/3').filter((a) => a !== '--json'), { timeoutMs: 60_000 });
    const of1 = TREE.filter((f) => shardOfRel(f, 3) === 1);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stderr).toMatch(new RegExp(`^shard 1/3: 0 written, ${of1.length} skipped, 0 failed in .* on cpu$`, 'm'));
  });

  it('--dry-run shows only the shard plan', async () => {
    const r = await restore(args(out, '2/3', '--dry-run'));
    expect(r.code, r.stderr).toBe(0);
    const plan = ofType(r.events, 'plan');
    const of2 = TREE.filter((f) => shardOfRel(f, 3) === 2);
    expect(plan.map((e) => rel(String(e.input), path.join(dir, 'in'))).sort()).toEqual([...of2].sort());
    // The file deleted in the previous test is the one left to do.
    expect(plan.filter((e) => !e.skip).map((e) => rel(String(e.output), out))).toEqual([of2[0]]);
  });

  it('SIGKILL of a shard mid-run (CLI and engine): no partial file; its rerun finishes only its missing files', async () => {
    const slow = path.join(dir, 'big');
    const files = Array.from({ length: 12 }, (_, i) => `p${i}.png`);
    for (const f of files) await writeImage(path.join(slow, f), 500, 360);
    const mine = files.filter((f) => shardOfRel(f, 2) === 1);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    const killOut = path.join(dir, 'out-kill');
    const shardArgs = ['denoise', slow, '-o', killOut, '--sigma', '10', '--json', '--shard', '1/2', '--models-dir', models.dir, '--threads', '1'];
    let killed = false;
    const first = await restore(shardArgs, {
      detached: true,
      env: { RESTORE_DEBUG_EVENTS: '1' },
      timeoutMs: 90_000,
      onEvent: (e: Event, child) => {
        // After the first file is written, while the second is being processed.
        if (!killed && e.type === 'debug' && e.event === 'file-start' && String(e.input).endsWith(mine[1]!)) {
          killed = true;
          process.kill(-child.pid!, 'SIGKILL');
        }
      },
    });
    expect(killed).toBe(true);
    expect(first.signal).toBe('SIGKILL');
    const written = await visible(killOut);
    expect(written.length).toBeGreaterThanOrEqual(1);
    expect(written.length).toBeLessThan(mine.length);
    expect(written.every((f) => mine.includes(f))).toBe(true);
    for (const f of written) expect((await sharp(path.join(killOut, f)).metadata()).width).toBe(500);

    const again = await restore(shardArgs, { timeoutMs: 90_000 });
    expect(again.code, again.stderr).toBe(0);
    const name = (e: Event): string => path.basename(String(e.input));
    expect(ofType(again.events, 'file-skipped').map(name).sort()).toEqual([...written].sort());
    expect(ofType(again.events, 'file-done').map(name).sort()).toEqual(mine.filter((f) => !written.includes(f)).sort());
    expect(ofType(again.events, 'summary')[0]).toMatchObject({ failed: 0, shard: { index: 1, count: 2 } });
    expect(await visible(killOut)).toEqual([...mine].sort());
    for (const f of mine) expect((await sharp(path.join(killOut, f)).metadata()).width).toBe(500);
  });

  it('a bad K/N is a usage error on every processing command: exit 2, one line, nothing written', async () => {
    const bad = ['3/3', '-1/3', '1/0', 'x', '1/2/3', '0.5/2', ''];
    for (const value of bad.slice(0, 2)) {
      const r = await restore(args(path.join(dir, 'never'), value).map((a) => (a === '--shard' ? `--shard=${value}` : a)).filter((a) => a !== value));
      expect(r.code, `${value}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`--shard must be K/N with whole numbers 0 <= K < N (K counts from 0), got "${value}"`)]);
    }
    // Without "=", a value starting with "-" reads as an option: still a one-line usage error.
    const dash = await restore(args(path.join(dir, 'never'), '-1/3'));
    expect([dash.code, dash.stderr.trim().split('\n').length]).toEqual([2, 1]);
    const mask = path.join(dir, 'in', 'img00.png');
    const commands: string[][] = [['denoise'], ['upscale', '--scale', '2'], ['colorize'], ['inpaint', '--mask', mask]];
    for (const [command, ...extra] of commands) {
      for (const value of bad) {
        const err: string[] = [];
        const io = { stdout: () => undefined, stderr: (t: string) => void err.push(t), isTTY: false, cwd: dir, env: { XDG_DATA_HOME: NO_USER_MODELS }, onInterrupt: () => () => undefined };
        const code = await runCli([command!, path.join(dir, 'in'), '-o', path.join(dir, 'never'), `--shard=${value}`, ...extra, '--models-dir', models.dir], io);
        expect(code, `${command} --shard "${value}": ${err.join('')}`).toBe(2);
        expect(err.join('').trim().split('\n'), `${command} --shard "${value}"`).toEqual([expect.stringMatching(new RegExp(`^restore ${command}: --shard must be K/N`))]);
      }
      const help: string[] = [];
      const io = { stdout: (t: string) => void help.push(t), stderr: () => undefined, isTTY: false, cwd: dir, env: {}, onInterrupt: () => () => undefined };
      expect(await runCli([command!, '--help'], io)).toBe(0);
      expect(help.join(''), command).toContain('--shard <K/N>');
    }
    expect(await fs.stat(path.join(dir, 'never')).catch(() => null)).toBeNull();
  });
});
