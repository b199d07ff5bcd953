import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeOtherFiles, enumerateInputs, InputError, isIgnoredName } from './inputs';

let dir: string;
const touch = async (rel: string): Promise<void> => {
  await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await fs.writeFile(path.join(dir, rel), 'x');
};

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-inputs-'));
  for (const f of ['in/b.jpg', 'in/a.PNG', 'in/notes.txt', 'in/.hidden.jpg', 'in/x.jpg.tmp', 'in/~$lock.png', 'in/sub/c.tif',
    'in/sub/deeper/d.webp', 'in/.git/e.png', 'in/out/already.png', 'other/f.jpeg', 'empty/readme.md', 'psd/a.psd', 'psd/b.PSD', 'psd/c.xcf', 'psd/NOTES', 'single.dat']) await touch(f);
  await fs.symlink(path.join(dir, 'in'), path.join(dir, 'in/sub/loop'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('enumerateInputs', () => {
  it('lists a folder one level deep, sorted, ignoring hidden, temporary and non-image files', async () => {
    const r = await enumerateInputs(['in'], { recursive: false, cwd: dir });
    expect(r.files.map((f) => f.rel)).toEqual(['a.PNG', 'b.jpg']);
    expect(r.files.every((f) => f.fromFolder && f.root === path.join(dir, 'in'))).toBe(true);
  });

  it('recurses with --recursive, skips hidden folders, symlinked folders and excluded folders', async () => {
    const r = await enumerateInputs(['in'], { recursive: true, cwd: dir, exclude: [path.join(dir, 'in/out')] });
    expect(r.files.map((f) => f.rel)).toEqual(['a.PNG', 'b.jpg', path.join('sub', 'c.tif'), path.join('sub', 'deeper', 'd.webp')]);
  });

  it('takes explicitly named files whatever their extension, deduplicates, reports empty folders', async () => {
    const r = await enumerateInputs(['single.dat', 'in/b.jpg', 'in', 'empty'], { recursive: false, cwd: dir });
    expect(r.files.map((f) => [f.rel, f.argIndex, f.fromFolder])).toEqual([
      ['single.dat', 0, false],
      ['b.jpg', 1, false],
      ['a.PNG', 2, true],
    ]);
    expect(r.emptyFolders).toEqual(['empty']);
    expect(r.otherFiles).toEqual({ in: { '.txt': 1 }, empty: { '.md': 1 } });
  });

  it('counts the files a folder held in formats it does not read, for the empty-folder note', async () => {
    const r = await enumerateInputs(['psd'], { recursive: false, cwd: dir });
    expect(r.emptyFolders).toEqual(['psd']);
    expect(r.otherFiles).toEqual({ psd: { '.psd': 2, '.xcf': 1, '': 1 } });
    expect(describeOtherFiles(r.otherFiles.psd!)).toBe('4 files of other kinds: 2 .psd, 1 without extension, 1 .xcf (readable: JPEG, PNG, TIFF, WebP, AVIF, HEIC, GIF, BMP)');
    expect(describeOtherFiles({ '.a': 1, '.b': 1, '.c': 1, '.d': 1, '.e': 1, '.f': 1 }, { '.a': 1 })).toMatch(/^7 files of other kinds: 2 \.a, 1 \.b, 1 \.c, 1 \.d, 1 \.e, \.\.\. \(readable/);
    expect(describeOtherFiles({}, {})).toBe('');
  });

  it('names a missing argument in a clear error', async () => {
    await expect(enumerateInputs(['nope.jpg'], { recursive: false, cwd: dir })).rejects.toThrow(InputError);
    await expect(enumerateInputs(['nope.jpg'], { recursive: false, cwd: dir })).rejects.toThrow('nope.jpg: no such file or folder');
  });

  it('recognises hidden and temporary names', () => {
    expect(['.DS_Store', 'a.jpg~', 'x.part', 'y.crdownload', '~$doc.png'].every(isIgnoredName)).toBe(true);
    expect(isIgnoredName('photo.jpg')).toBe(false);
  });
});
