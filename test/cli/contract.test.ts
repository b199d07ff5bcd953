// End-to-end contract of the `restore` command line (DESIGN.md "Command line"), run as a user
// would: `node bin/restore.js` against the built dist/, with small seeded models in a temp models
// folder. Exit codes 0/1/2, -o as file vs folder, --recursive mirroring the tree, --format,
// --depth 16, the --json event stream, resume by skipping, `restore models`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { ModelDir } from '../../electron/engine/test/models';
import { runCli } from '../../electron/cli/dispatch';
import { NO_USER_MODELS, listFiles, ofType, restore, tempDir, testModels, writeImage } from './helpers';

let dir: string;
let models: ModelDir;
const common = (): string[] => ['--models-dir', models.dir, '--threads', '1'];

beforeAll(async () => {
  dir = await tempDir('contract');
  models = await testModels();
  await writeImage(path.join(dir, 'in', 'a.png'), 40, 30);
  await writeImage(path.join(dir, 'in', 'b.jpg'), 32, 24);
  await writeImage(path.join(dir, 'in', 'sub', 'c.png'), 20, 20, { channels: 1 });
  await writeImage(path.join(dir, 'in', 'sub', 'deeper', 'd.tif'), 24, 16);
  await writeImage(path.join(dir, 'in16.png'), 24, 20, { depth: 16 });
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
  await models.cleanup();
});

describe('restore CLI', () => {
  it('-o is a file for one input; --json events; exit 0', async () => {
    const out = path.join(dir, 'one', 'result.png');
    const r = await restore(['denoise', path.join(dir, 'in', 'b.jpg'), '-o', out, '--sigma', '15', '--json', ...common()]);
    expect(r.code, r.stderr).toBe(0);
    const types = r.events.map((e) => e.type);
    expect(types.filter((t) => t !== 'progress')).toEqual(['file-done', 'summary']);
    expect(types[0]).toBe('progress');
    for (const p of ofType(r.events, 'progress')) {
      expect(p).toEqual(expect.objectContaining({ done: expect.any(Number), total: 1 }));
      expect(p.etaSeconds === null || typeof p.etaSeconds === 'number').toBe(true);
    }
    expect(ofType(r.events, 'file-done')[0]).toEqual(expect.objectContaining({ input: path.join(dir, 'in', 'b.jpg'), output: out, seconds: expect.any(Number) }));
    expect(ofType(r.events, 'summary')[0]).toEqual(expect.objectContaining({ done: 1, skipped: 0, failed: 0, seconds: expect.any(Number), provider: 'cpu' }));
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 32, 24]);
    expect(meta.xmp?.toString()).toContain('test-denoise-color'); // the processing record
  });

  it('--tta runs the self-ensemble: recorded in the XMP, output close to but not the single pass', async () => {
    const input = path.join(dir, 'in', 'a.png');
    const [plain, tta] = [path.join(dir, 'tta', 'plain.png'), path.join(dir, 'tta', 'tta.png')];
    expect((await restore(['denoise', input, '-o', plain, '--sigma', '25', ...common()])).code).toBe(0);
    const r = await restore(['denoise', input, '-o', tta, '--sigma', '25', '--tta', ...common()]);
    expect(r.code, r.stderr).toBe(0);
    expect((await sharp(tta).metadata()).xmp?.toString()).toMatch(/tta[^,}]*8/);
    const [a, b] = await Promise.all([plain, tta].map((f) => sharp(f).raw().toBuffer()));
    let diff = 0;
    for (let i = 0; i < a!.length; i++) diff += Math.abs(a![i]! - b![i]!);
    expect(diff).toBeGreaterThan(0);
    expect(diff / a!.length).toBeLessThan(8); // the same picture: a few levels apart at most
  });

  it('--recursive mirrors the tree into the -o folder, --format changes extensions, rerun skips', async () => {
    const out = path.join(dir, 'tree');
    const r = await restore(['upscale', path.join(dir, 'in'), '-o', out, '--scale', '2', '--recursive', '--format', 'png', '--json', ...common()]);
    expect(r.code, r.stderr).toBe(0);
    expect(await listFiles(out)).toEqual(['a.png', 'b.png', path.join('sub', 'c.png'), path.join('sub', 'deeper', 'd.png')]);
    const meta = await sharp(path.join(out, 'sub', 'deeper', 'd.png')).metadata();
    expect([meta.width, meta.height]).toEqual([48, 32]);
    const flat = await restore(['upscale', path.join(dir, 'in'), '-o', path.join(dir, 'flat'), '--scale', '2', ...common()]);
    expect(flat.code, flat.stderr).toBe(0);
    expect(await listFiles(path.join(dir, 'flat'))).toEqual(['a.png', 'b.jpg']);
    expect(flat.stdout.trim().split('\n').sort()).toEqual([path.join(dir, 'flat', 'a.png'), path.join(dir, 'flat', 'b.jpg')]);
    const again = await restore(['upscale', path.join(dir, 'in'), '-o', out, '--scale', '2', '-r', '--format', 'png', '--json', ...common()]);
    expect(again.code).toBe(0);
    expect(ofType(again.events, 'file-skipped').map((e) => e.reason)).toEqual(['output exists', 'output exists', 'output exists', 'output exists']);
    expect(ofType(again.events, 'summary')[0]).toMatchObject({ done: 0, skipped: 4, failed: 0 });
  });

  it('--depth 16 keeps 16 bits', async () => {
    const out16 = path.join(dir, 'deep16.png');
    const r = await restore(['denoise', path.join(dir, 'in16.png'), '-o', out16, '--depth', '16', ...common()]);
    expect(r.code, r.stderr).toBe(0);
    expect((await sharp(out16).metadata()).depth).toBe('ushort');
    const same = path.join(dir, 'same16.png');
    expect((await restore(['denoise', path.join(dir, 'in16.png'), '-o', same, ...common()])).code).toBe(0);
    expect((await sharp(same).metadata()).depth).toBe('ushort');
  });

  it('colorize and inpaint run end to end; the mask is never overwritten', async () => {
    const col = path.join(dir, 'col.png');
    const c = await restore(['colorize', path.join(dir, 'in', 'sub', 'c.png'), '-o', col, ...common()]);
    expect(c.code, c.stderr).toBe(0);
    expect((await sharp(col).metadata()).channels).toBe(3);
    const mask = path.join(dir, 'mask.png');
    const m = new Uint8Array(40 * 30);
    for (let y = 10; y < 16; y++) m.fill(255, y * 40 + 10, y * 40 + 18);
    await sharp(m, { raw: { width: 40, height: 30, channels: 1 } }).png().toFile(mask);
    const fixed = path.join(dir, 'fixed.png');
    const i = await restore(['inpaint', path.join(dir, 'in', 'a.png'), '--mask', mask, '-o', fixed, ...common()]);
    expect(i.code, i.stderr).toBe(0);
    expect((await sharp(fixed).metadata()).width).toBe(40);
    const refused = await restore(['inpaint', path.join(dir, 'in', 'a.png'), '--mask', mask, '-o', mask, ...common()]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('would overwrite an input');
  });

  it('exit code 2 for usage errors, nothing written', async () => {
    const cases = [
      ['denoise', path.join(dir, 'in', 'a.png')],
      ['denoise', path.join(dir, 'missing.png'), '-o', path.join(dir, 'x.png')],
      ['denoise', path.join(dir, 'in', 'a.png'), '-o', path.join(dir, 'in', 'a.png')],
      ['denoise', path.join(dir, 'in'), '-o', path.join(dir, 'in'), '--format', 'jpg'],
      ['denoise', path.join(dir, 'in', 'a.png'), '-o', path.join(dir, 'x.png'), '--model', 'no-such-model'],
      ['upscale', path.join(dir, 'in', 'a.png'), '-o', path.join(dir, 'x.png'), '--scale', '2', '--model', 'test-upscale-x4'],
      ['inpaint', path.join(dir, 'in', 'a.png'), '-o', path.join(dir, 'x.png')],
    ];
    // Two through the real binary (exit code of the process), the rest in-process (same code path).
    for (const args of cases.slice(0, 2)) {
      const r = await restore([...args, ...common()]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    for (const args of cases.slice(2)) {
      const err: string[] = [];
      const io = { stdout: () => undefined, stderr: (t: string) => void err.push(t), isTTY: false, cwd: dir, env: { XDG_DATA_HOME: NO_USER_MODELS }, onInterrupt: () => () => undefined };
      expect(await runCli([...args, ...common()], io), `${args.join(' ')}: ${err.join('')}`).toBe(2);
      expect(err.join('').trim().split('\n')).toHaveLength(1);
    }
    expect(await fs.stat(path.join(dir, 'x.png')).catch(() => null)).toBeNull();
    expect(await listFiles(path.join(dir, 'in'))).toHaveLength(4);
  });

  it('a task without a model: one plain message, exit 1', async () => {
    const empty = await tempDir('nomodels');
    try {
      // inpaint: a task no shipped model covers yet (models/ is always searched)
      const mask = path.join(empty, 'mask.png');
      await sharp(new Uint8Array(40 * 30), { raw: { width: 40, height: 30, channels: 1 } }).png().toFile(mask);
      const r = await restore(['inpaint', path.join(dir, 'in', 'a.png'), '--mask', mask, '-o', path.join(empty, 'x.png'), '--models-dir', empty]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe('restore inpaint: no trained model for inpaint yet; see README (Models)');
    } finally {
      await fs.rm(empty, { recursive: true, force: true });
    }
  });

  it('restore models lists the installed models', async () => {
    const r = await restore(['models', ...common().slice(0, 2)]);
    expect(r.code, r.stderr).toBe(0);
    for (const id of ['test-denoise-color', 'test-upscale-x2', 'test-colorize', 'test-inpaint']) expect(r.stdout).toContain(id);
    const j = await restore(['models', '--json', ...common().slice(0, 2)]);
    expect(ofType(j.events, 'model').map((e) => e.id)).toContain('test-upscale-x4');
    // The user's model folder ($XDG_DATA_HOME/restore-studio/models) is searched by default.
    const xdg = await tempDir('xdg');
    try {
      await fs.mkdir(path.join(xdg, 'restore-studio'));
      await fs.symlink(models.dir, path.join(xdg, 'restore-studio', 'models'));
      const u = await restore(['models', '--json'], { env: { XDG_DATA_HOME: xdg } });
      expect(ofType(u.events, 'model').map((e) => e.id)).toContain('test-inpaint');
      const none = await restore(['models']);
      expect(none.stdout).not.toContain('test-inpaint');
    } finally {
      await fs.rm(xdg, { recursive: true, force: true });
    }
  });
});
