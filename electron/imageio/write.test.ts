// Writing safely: atomic (no temporary file left, target replaced whole), parent folders
// created, protected input paths refused (also through another name for the same file), bad
// rasters and options rejected with one-line errors, and configureSharp applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { configureSharp, ImageError, readImage, sharpSupports, writeImage } from './index';
import { makeTempDir, removeDir, samePixels, testRaster } from '../../test/fixtures/imageio/fixtures';

let dir = '';
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeDir(dir);
});

async function rejection(p: Promise<unknown>): Promise<ImageError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageError);
  expect((err as ImageError).message).not.toMatch(/[\r\n]/);
  return err as ImageError;
}

describe('atomic writes', () => {
  it('creates parent folders and leaves no temporary file', async () => {
    const out = path.join(dir, 'a', 'b', 'c', 'out.png');
    await writeImage(out, testRaster(40, 30, 3), { format: 'png', depth: 8 });
    expect(await fs.readdir(path.dirname(out))).toEqual(['out.png']);
  });

  it('replaces an existing output whole', async () => {
    const out = path.join(dir, 'replace', 'out.tif');
    await writeImage(out, testRaster(40, 30, 3), { format: 'tif', depth: 8 });
    const second = testRaster(20, 10, 4, 16);
    await writeImage(out, second, { format: 'tif', depth: 16 });
    expect(samePixels(second, (await readImage(out)).raster)).toBe(true);
    expect(await fs.readdir(path.dirname(out))).toEqual(['out.tif']);
  });

  it('a failed write leaves the old file and no temporary file', async () => {
    const folder = path.join(dir, 'fail');
    const target = path.join(folder, 'x.png');
    await fs.mkdir(target, { recursive: true }); // a folder where the file should go: rename fails
    const err = await rejection(writeImage(target, testRaster(8, 8, 3), { format: 'png', depth: 8 }));
    expect(err.file).toBe(target);
    expect(err.reason).toMatch(/cannot write file/);
    expect(await fs.readdir(folder)).toEqual(['x.png']);
    expect((await fs.stat(target)).isDirectory()).toBe(true);
  });
});

describe('inputs are protected', () => {
  it('refuses to overwrite a protected path and leaves it untouched', async () => {
    const input = path.join(dir, 'prot', 'in.png');
    await writeImage(input, testRaster(16, 16, 3), { format: 'png', depth: 8 });
    const before = await fs.readFile(input);
    const err = await rejection(writeImage(input, testRaster(8, 8, 3), { format: 'png', depth: 8, protect: [input] }));
    expect(err.reason).toMatch(/refusing to overwrite an input file/);
    expect((await fs.readFile(input)).equals(before)).toBe(true);
    // same file under another spelling of the path
    const other = path.join(dir, 'prot', '..', 'prot', 'in.png');
    await rejection(writeImage(other, testRaster(8, 8, 3), { format: 'png', depth: 8, protect: [input] }));
  });

  it('refuses a symbolic or hard link to a protected file', async () => {
    const input = path.join(dir, 'prot2', 'in.png');
    await writeImage(input, testRaster(16, 16, 3), { format: 'png', depth: 8 });
    const hard = path.join(dir, 'prot2', 'hard.png');
    await fs.link(input, hard);
    await rejection(writeImage(hard, testRaster(8, 8, 3), { format: 'png', depth: 8, protect: [input] }));
    if (process.platform !== 'win32') {
      const soft = path.join(dir, 'prot2', 'soft.png');
      await fs.symlink(input, soft);
      await rejection(writeImage(soft, testRaster(8, 8, 3), { format: 'png', depth: 8, protect: [input] }));
    }
  });
});

describe('invalid arguments', () => {
  it('a parent path that is a file gives a clear error', async () => {
    const blocker = path.join(dir, 'blocker');
    await fs.writeFile(blocker, 'not a folder');
    const err = await rejection(writeImage(path.join(blocker, 'out.png'), testRaster(8, 8, 3), { format: 'png', depth: 8 }));
    expect(err.reason).toMatch(/cannot create folder/);
  });

  it('rejects a raster whose data does not match its size', async () => {
    const r = { ...testRaster(10, 10, 3), width: 11 };
    const err = await rejection(writeImage(path.join(dir, 'bad.png'), r, { format: 'png', depth: 8 }));
    expect(err.reason).toMatch(/invalid raster 11x10x3/);
  });

  it('rejects a 16-bit raster holding 8-bit data', async () => {
    const r = { ...testRaster(10, 10, 3), depth: 16 as const };
    await rejection(writeImage(path.join(dir, 'bad16.png'), r, { format: 'png', depth: 16 }));
  });

  it('rejects an out-of-range quality', async () => {
    const err = await rejection(writeImage(path.join(dir, 'q.jpg'), testRaster(8, 8, 3), { format: 'jpg', depth: 8, quality: 0 }));
    expect(err.reason).toMatch(/quality/);
  });

  it('refuses, before encoding, an image wider than its format holds (WebP 16383, JPEG 65535 a side)', async () => {
    const err = await rejection(writeImage(path.join(dir, 'wide.webp'), testRaster(16384, 2, 3), { format: 'webp', depth: 8 }));
    expect(err.reason).toBe("cannot hold the image: 16384 x 2 pixels is over WebP's limit of 16383 pixels a side: choose PNG or TIFF");
    await expect(fs.stat(path.join(dir, 'wide.webp'))).rejects.toThrow();
    await writeImage(path.join(dir, 'wide.jpg'), testRaster(16384, 2, 3), { format: 'jpg', depth: 8 });
    expect((await sharp(path.join(dir, 'wide.jpg')).metadata()).width).toBe(16384);
  });
});

describe('sharpSupports', () => {
  it('reflects sharp.format at run time', () => {
    expect(sharpSupports('jpeg', 'input')).toBe(true);
    expect(sharpSupports('png', 'output')).toBe(true);
    expect(sharpSupports('heif', 'input')).toBe(sharp.format.heif.input.file);
    expect(sharpSupports('no-such-format', 'input')).toBe(false);
  });
});

describe('configureSharp', () => {
  it('sets libvips concurrency', () => {
    const before = sharp.concurrency();
    try {
      expect(configureSharp(1).threads).toBe(1);
      expect(sharp.concurrency()).toBe(1);
      expect(configureSharp(2).threads).toBe(2);
    } finally {
      sharp.concurrency(before);
    }
  });
});
