// Untrusted input: every kind of bad file gives a one-line ImageError naming the file and the
// reason (never a crash or a hang), and reading never modifies the input file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ImageError, probeImage, readImage, type Raster } from './index';
import { heicFromAvif } from '../../test/fixtures/imageio/heic';
import { buildBmp } from '../../test/fixtures/imageio/bmp';
import { makeTempDir, pngClaiming, removeDir, testRaster } from '../../test/fixtures/imageio/fixtures';

let dir = '';
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeDir(dir);
});

async function encoded(format: 'jpeg' | 'png' | 'webp' | 'tiff'): Promise<Buffer> {
  const r = testRaster(128, 96, 3);
  const p = sharp(r.data, { raw: { width: r.width, height: r.height, channels: 3 } });
  return p.toFormat(format).toBuffer();
}

/** Expect readImage (and probeImage when `probeToo`) to reject `file` with a reason matching `reason`. */
async function expectRejected(file: string, reason: RegExp, probeToo = true): Promise<ImageError> {
  const err = await readImage(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageError);
  const ie = err as ImageError;
  expect(ie.file).toBe(file);
  expect(ie.message.startsWith(`${file}: `)).toBe(true);
  expect(ie.message).not.toMatch(/[\r\n]/);
  expect(ie.reason).toMatch(reason);
  if (probeToo) await expect(probeImage(file)).rejects.toThrow(ImageError);
  return ie;
}

async function put(name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, bytes);
  return file;
}

describe('bad input files', () => {
  it('missing file', async () => {
    await expectRejected(path.join(dir, 'nope.png'), /file not found/);
  });

  it('a folder', async () => {
    const sub = path.join(dir, 'folder.png');
    await fs.mkdir(sub);
    await expectRejected(sub, /not a regular file/);
  });

  it('zero-byte file', async () => {
    await expectRejected(await put('empty.jpg', new Uint8Array(0)), /empty file/);
  });

  it('garbage bytes', async () => {
    const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251);
    await expectRejected(await put('garbage.png', bytes), /not a supported image/);
  });

  it('text file with an image extension', async () => {
    await expectRejected(await put('notes.jpg', Buffer.from('hello, this is not a picture\n')), /not a supported image/);
  });

  for (const format of ['jpeg', 'png', 'webp', 'tiff'] as const) {
    it(`truncated ${format}`, async () => {
      const full = await encoded(format);
      const file = await put(`truncated.${format}`, full.subarray(0, Math.floor(full.length * 0.6)));
      await expectRejected(file, /^truncated or corrupt/, false);
    });
  }

  it('PNG header claiming 100000x100000 is refused from the header, quickly', async () => {
    const file = await put('huge.png', pngClaiming(100_000, 100_000));
    const t0 = Date.now();
    const err = await expectRejected(file, /100000x100000 .* over the limit/);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(err.reason).toContain('10000.0 megapixels');
  });

  it('the pixel limit is configurable', async () => {
    const file = await put('small.png', await encoded('png'));
    await expect(readImage(file, { limitInputPixels: 128 * 96 })).resolves.toBeDefined();
    const err = await readImage(file, { limitInputPixels: 128 * 96 - 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageError);
    expect((err as ImageError).reason).toMatch(/128x96 .* over the limit/);
  });

  it('a HEIC whose HEVC stream is not HEVC gives a clear error', async () => {
    const avif = await sharp(testRaster(32, 32, 3).data, { raw: { width: 32, height: 32, channels: 3 } }).avif().toBuffer();
    const file = await put('photo.heic', heicFromAvif(avif));
    expect((await probeImage(file)).format).toBe('heic');
    await expectRejected(file, /truncated or corrupt HEIC file \(Decoder plugin/, false);
  });
});

describe('reading never touches the input', () => {
  it('inputs are byte-identical (and keep their mtime) after reading', async () => {
    const files = [
      await put('keep.jpg', await encoded('jpeg')),
      await put('keep.png', await encoded('png')),
      await put('keep.tif', await encoded('tiff')),
      await put('keep.webp', await encoded('webp')),
    ];
    for (const file of files) {
      const before = await fs.readFile(file);
      const st = await fs.stat(file);
      await readImage(file);
      await probeImage(file);
      const after = await fs.readFile(file);
      expect(createHash('sha256').update(after).digest('hex')).toBe(createHash('sha256').update(before).digest('hex'));
      expect((await fs.stat(file)).mtimeMs).toBe(st.mtimeMs);
    }
  });
});

describe('formats outside the photo set are refused', () => {
  it('SVG', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/></svg>';
    await expectRejected(await put('drawing.svg', Buffer.from(svg)), /SVG files are not supported/);
  });

  it('camera RAW (a TIFF inside, whose first directory is only a small preview), by its extension', async () => {
    await expectRejected(await put('IMG_0042.DNG', await encoded('tiff')), /camera RAW files are not supported: develop it to TIFF .* or JPEG first/);
    await expectRejected(await put('DSC_0042.nef', await encoded('tiff')), /camera RAW files are not supported/);
  });
});

describe('damaged files never crash', () => {
  /** Deterministic PRNG (mulberry32) so a failure is reproducible. */
  function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const bmp = (rle: boolean): Buffer => rle
    ? buildBmp({ width: 24, height: 16, bitCount: 8, compression: 1, palette: [[0, 0, 0], [200, 10, 20], [5, 30, 220]], rle: [24, 1, 0, 0, 12, 2, 0, 4, 1, 2, 1, 2, 0, 2, 3, 4, 24, 1, 0, 1] })
    : buildBmp({ width: 24, height: 16, bitCount: 32, compression: 3, infoSize: 108, masks: [0xff0000, 0xff00, 0xff, 0xff000000], rows: Array.from({ length: 16 }, (_, y) => Array.from({ length: 96 }, (_, i) => (i * 7 + y * 13) % 256)) });
  for (const format of ['jpeg', 'png', 'webp', 'tiff', 'bmp', 'bmp-rle'] as const) {
    it(`${format}: 40 seeded corruptions each decode or give an ImageError`, async () => {
      const good = format === 'bmp' || format === 'bmp-rle' ? bmp(format === 'bmp-rle') : await encoded(format);
      const rand = rng(format.length * 7919);
      let rejected = 0;
      for (let k = 0; k < 40; k++) {
        const bad = Buffer.from(good);
        const flips = 1 + Math.floor(rand() * 8);
        for (let f = 0; f < flips; f++) bad[Math.floor(rand() * bad.length)] = Math.floor(rand() * 256);
        const cut = rand() < 0.3 ? Math.floor(bad.length * (0.2 + 0.8 * rand())) : bad.length;
        const file = await put(`fuzz-${k}.${format.replace('-rle', '')}`, bad.subarray(0, cut));
        const result: Raster | Error = await readImage(file).then(
          (r) => r.raster,
          (e: unknown) => (e instanceof Error ? e : new Error(`not an Error: ${String(e)}`)),
        );
        if (result instanceof Error) {
          expect(result).toBeInstanceOf(ImageError);
          expect(result.message).not.toMatch(/[\r\n]/);
          rejected++;
        } else {
          expect(result.data.length).toBe(result.width * result.height * result.channels);
        }
      }
      expect(rejected).toBeGreaterThan(0);
    });
  }
});
