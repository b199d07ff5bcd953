// `restore split-scan` as a script uses it: a folder of scans (one of JPEG prints, one blank, one
// that is not an image) mirrored into an output folder, --json events, exit codes, resume (scans
// already split are skipped), --overwrite, and usage errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { makeScan } from '../fixtures/scans';
import { ofType, restore, tempDir } from './helpers';

const LOC = '/work/shared/data/eval/old/LoC';
let dir: string;

beforeAll(async () => {
  dir = await tempDir('split');
  const scans = path.join(dir, 'scans', 'album 1');
  await fs.mkdir(scans, { recursive: true });
  const { png } = await makeScan(1200, 700, [
    { file: path.join(LOC, 'Abdul_1003.png'), cx: 330, cy: 350, angle: -4, border: 12 },
    { file: path.join(LOC, 'Carpenter_123.png'), cx: 900, cy: 340, angle: 8 },
  ]);
  await sharp(png).jpeg({ quality: 95 }).toFile(path.join(scans, 'page 1.jpg'));
  await fs.writeFile(path.join(scans, 'blank.png'), (await makeScan(600, 400, [])).png);
  await fs.writeFile(path.join(scans, 'notes.jpg'), 'not an image');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('restore split-scan', () => {
  it('splits a folder of scans into a mirrored tree, one file per print; a bad scan fails alone', async () => {
    const out = path.join(dir, 'prints');
    const r = await restore(['split-scan', path.join(dir, 'scans'), '-r', '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const done = ofType(r.events, 'file-done');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ input: path.join(dir, 'scans', 'album 1', 'page 1.jpg'), prints: 2 });
    const outputs = done[0]!.outputs as string[];
    expect(outputs).toEqual([path.join(out, 'album 1', 'page 1-1.jpg'), path.join(out, 'album 1', 'page 1-2.jpg')]);
    for (const o of outputs) expect((await sharp(o).metadata()).format).toBe('jpeg');
    const failed = ofType(r.events, 'file-failed').map((e) => e.error as string).sort();
    expect(failed).toHaveLength(2);
    expect(failed[0]).toMatch(/blank\.png: no print found on the plain background: the scan is empty$/);
    expect(failed[1]).toMatch(/notes\.jpg: /);
    expect(ofType(r.events, 'summary')[0]).toMatchObject({ done: 1, skipped: 0, failed: 2, interrupted: false, remaining: 0 });
    // the output folder holds the prints and nothing else
    expect(await fs.readdir(path.join(out, 'album 1'))).toEqual(['page 1-1.jpg', 'page 1-2.jpg']);
  });

  it('skips a scan already split, splits it again with --overwrite, and says so on stderr', async () => {
    const scan = path.join(dir, 'scans', 'album 1', 'page 1.jpg');
    const out = path.join(dir, 'again');
    expect((await restore(['split-scan', scan, '-o', out, '--format', 'png'])).code).toBe(0);
    const first = path.join(out, 'page 1-1.png');
    const made = (await fs.stat(first)).mtimeMs;
    const skipped = await restore(['split-scan', scan, '-o', out, '--format', 'png', '--json']);
    expect(skipped.code).toBe(0);
    expect(ofType(skipped.events, 'file-skipped')[0]).toMatchObject({ input: scan, output: first });
    expect((await fs.stat(first)).mtimeMs).toBe(made);
    const redone = await restore(['split-scan', scan, '-o', out, '--format', 'png', '--overwrite']);
    expect(redone.code).toBe(0);
    expect(redone.stderr).toMatch(/done .*page 1\.jpg -> 2 prints/);
    expect(redone.stderr).toMatch(/page 1-2\.png {2}\d+ x \d+, turned 8\.\d degrees/);
  });

  it('usage errors exit 2 with the help', async () => {
    for (const args of [['split-scan'], ['split-scan', path.join(dir, 'scans')], ['split-scan', path.join(dir, 'scans'), '-o', dir, '--min-size', '0']]) {
      const r = await restore(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/Usage: restore split-scan/);
    }
    expect((await restore(['split-scan', path.join(dir, 'nope.jpg'), '-o', dir])).code).toBe(2);
  });
});
