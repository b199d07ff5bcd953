// BMP input (bmp.ts), which libvips cannot read: every header version and pixel layout Windows
// software writes is decoded to the right pixels through readImage, from real files on disk; bad
// BMP files get a one-line ImageError naming the file; sharpPixels hands the pixels to sharp.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ImageError, probeImage, readImage, sharpPixels } from './index';
import { buildBmp, type BmpSpec } from '../../test/fixtures/imageio/bmp';
import { makeTempDir, removeDir } from '../../test/fixtures/imageio/fixtures';

let dir = '';
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeDir(dir);
});

let n = 0;
async function written(spec: BmpSpec | Buffer): Promise<string> {
  const file = path.join(dir, `b${n++}.bmp`);
  await fs.writeFile(file, Buffer.isBuffer(spec) ? spec : buildBmp(spec));
  return file;
}

async function pixels(spec: BmpSpec): Promise<{ channels: number; width: number; height: number; data: number[] }> {
  const { raster, meta } = await readImage(await written(spec));
  expect(meta).toMatchObject({ format: 'bmp', depth: 8, width: spec.width, height: spec.height });
  return { channels: raster.channels, width: raster.width, height: raster.height, data: Array.from(raster.data) };
}

const RED: [number, number, number] = [200, 10, 20];
const BLUE: [number, number, number] = [5, 30, 220];
const GREEN: [number, number, number] = [10, 180, 40];

describe('BMP decoding', () => {
  it('24-bit, bottom-up rows with padding: top row first, RGB order', async () => {
    // stored bottom row first; pixels as B, G, R
    const p = await pixels({ width: 3, height: 2, bitCount: 24, rows: [[1, 2, 3, 4, 5, 6, 7, 8, 9], [10, 11, 12, 13, 14, 15, 16, 17, 18]] });
    expect(p).toEqual({ channels: 3, width: 3, height: 2, data: [12, 11, 10, 15, 14, 13, 18, 17, 16, 3, 2, 1, 6, 5, 4, 9, 8, 7] });
  });

  it('24-bit top-down (negative height) keeps the stored order', async () => {
    const p = await pixels({ width: 1, height: 2, bitCount: 24, topDown: true, rows: [[1, 2, 3], [4, 5, 6]] });
    expect(p.data).toEqual([3, 2, 1, 6, 5, 4]);
  });

  it('32-bit V4 bit fields with an alpha mask give RGBA; an all-zero alpha field means opaque', async () => {
    const masks = [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000];
    const p = await pixels({ width: 2, height: 1, bitCount: 32, compression: 3, infoSize: 108, masks, rows: [[1, 2, 3, 128, 4, 5, 6, 0]] });
    expect(p).toMatchObject({ channels: 4, data: [3, 2, 1, 128, 6, 5, 4, 0] });
    const opaque = await pixels({ width: 2, height: 1, bitCount: 32, compression: 3, infoSize: 108, masks, rows: [[1, 2, 3, 0, 4, 5, 6, 0]] });
    expect(opaque.data).toEqual([3, 2, 1, 255, 6, 5, 4, 255]);
  });

  it('32-bit BI_RGB ignores the fourth byte', async () => {
    const p = await pixels({ width: 1, height: 1, bitCount: 32, rows: [[9, 8, 7, 0]] });
    expect(p).toMatchObject({ channels: 3, data: [7, 8, 9] });
  });

  it('16-bit: 5-5-5 without masks, 5-6-5 with bit fields after a 40-byte header', async () => {
    // 0x7fff = white in 5-5-5; 0x7c00 = red
    const p555 = await pixels({ width: 2, height: 1, bitCount: 16, rows: [[0xff, 0x7f, 0x00, 0x7c]] });
    expect(p555.data).toEqual([255, 255, 255, 255, 0, 0]);
    // 0x07e0 = green in 5-6-5, 0x001f = blue
    const p565 = await pixels({ width: 2, height: 1, bitCount: 16, compression: 3, masks: [0xf800, 0x07e0, 0x001f], rows: [[0xe0, 0x07, 0x1f, 0x00]] });
    expect(p565.data).toEqual([0, 255, 0, 0, 0, 255]);
  });

  it('palettes: 1, 4 and 8 bits (OS/2 core header too); a gray palette gives a gray raster', async () => {
    const one = await pixels({ width: 10, height: 1, bitCount: 1, palette: [RED, BLUE], rows: [[0b10100000, 0b01000000]] });
    expect(one.data).toEqual([...BLUE, ...RED, ...BLUE, ...RED, ...RED, ...RED, ...RED, ...RED, ...RED, ...BLUE]);
    const four = await pixels({ width: 3, height: 1, bitCount: 4, palette: [RED, BLUE, GREEN], rows: [[0x21, 0x00]] });
    expect(four.data).toEqual([...GREEN, ...BLUE, ...RED]);
    const core = await pixels({ width: 2, height: 1, bitCount: 8, infoSize: 12, palette: [RED, BLUE, GREEN], rows: [[2, 1]] });
    expect(core.data).toEqual([...GREEN, ...BLUE]);
    const gray = await pixels({ width: 3, height: 1, bitCount: 8, palette: Array.from({ length: 256 }, (_, i) => [i, i, i] as [number, number, number]), rows: [[0, 77, 255]] });
    expect(gray).toMatchObject({ channels: 1, data: [0, 77, 255] });
  });

  it('RLE8 (runs, absolute runs, end of line, delta, end of bitmap) and RLE4', async () => {
    const pal: [number, number, number][] = Array.from({ length: 16 }, (_, i) => [i * 10, 100 + i, 200 - i]);
    const colour = (i: number): number[] => pal[i]!;
    // stored rows (bottom-up): 0 = 1 1 1 2 4 5; 1 = 1 1 then a delta to (3, 2); 2 = _ _ _ 6 6 6; 3 = 7 x 6
    const rle8 = await pixels({ width: 6, height: 4, bitCount: 8, compression: 1, palette: pal, rle: [3, 1, 0, 3, 2, 4, 5, 0, 0, 0, 2, 1, 0, 2, 1, 1, 3, 6, 0, 0, 6, 7, 0, 1] });
    const rows8 = [[7, 7, 7, 7, 7, 7], [0, 0, 0, 6, 6, 6], [1, 1, 0, 0, 0, 0], [1, 1, 1, 2, 4, 5]];
    expect(rle8.data).toEqual(rows8.flat().flatMap(colour));
    // RLE4: a run alternates the two nibbles; an absolute run of 3 nibbles
    const rle4 = await pixels({ width: 5, height: 2, bitCount: 4, compression: 2, palette: pal, rle: [2, 0x12, 0, 3, 0x34, 0x50, 0, 0, 5, 0x9a, 0, 1] });
    expect(rle4.data).toEqual([[9, 10, 9, 10, 9], [1, 2, 3, 4, 5]].flat().flatMap(colour));
  });

  it('probeImage reads the headers: size, format, resolution in dpi', async () => {
    const file = await written({ width: 7, height: 5, bitCount: 24, ppm: 11811 });
    expect(await probeImage(file)).toMatchObject({ format: 'bmp', width: 7, height: 5, depth: 8, density: 300 });
  });

  it('sharpPixels hands a BMP file and its bytes to sharp', async () => {
    const file = await written({ width: 2, height: 1, bitCount: 24, rows: [[1, 2, 3, 4, 5, 6]] });
    for (const source of [file, await fs.readFile(file)]) {
      const { data, info } = await (await sharpPixels(source)).raw().toBuffer({ resolveWithObject: true });
      expect(info).toMatchObject({ width: 2, height: 1, channels: 3 });
      expect(Array.from(data)).toEqual([3, 2, 1, 6, 5, 4]);
    }
  });
});

describe('bad BMP files', () => {
  async function rejected(file: string, reason: RegExp): Promise<void> {
    const err = await readImage(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageError);
    expect((err as ImageError).message.startsWith(`${file}: `)).toBe(true);
    expect((err as ImageError).reason).toMatch(reason);
  }

  it('pixel data that ends early is refused, naming the file', async () => {
    const whole = buildBmp({ width: 40, height: 30, bitCount: 24, rows: [] });
    await rejected(await written(whole.subarray(0, whole.length - 200)), /truncated or corrupt BMP file \(pixel data ends early/);
    const rle = buildBmp({ width: 6, height: 4, bitCount: 8, compression: 1, palette: [RED], rle: [3, 0, 0] });
    await rejected(await written(rle), /compressed pixel data ends early/);
  });

  it('JPEG-compressed BMP and impossible headers are refused with the reason', async () => {
    await rejected(await written({ width: 4, height: 4, bitCount: 24, compression: 4, rows: [] }), /JPEG-compressed BMP files are not supported/);
    await rejected(await written({ width: 4, height: 4, bitCount: 1, compression: 3, infoSize: 64, rows: [] }), /OS\/2 Huffman-compressed BMP files are not supported/);
    await rejected(await written({ width: 4, height: 4, bitCount: 8, rows: [] }), /palette missing/);
    const zeroWide = buildBmp({ width: 4, height: 4, bitCount: 24, rows: [] });
    zeroWide.writeInt32LE(0, 18);
    await rejected(await written(zeroWide), /dimensions 0x4/);
  });

  it('a BMP over the pixel limit is refused by the header alone', async () => {
    const file = await written({ width: 400, height: 300, bitCount: 24, rows: [] });
    await expect(readImage(file, { limitInputPixels: 1000 })).rejects.toThrow(/400x300 .* over the limit/);
    // A header claiming 100000 x 100000 is refused before anything that size is allocated, also
    // where no probe comes first (previews, folder scans).
    const huge = buildBmp({ width: 2, height: 2, bitCount: 8, compression: 1, palette: [RED], rle: [0, 1] });
    huge.writeInt32LE(100000, 18);
    huge.writeInt32LE(100000, 22);
    const file2 = await written(huge);
    await expect(readImage(file2)).rejects.toThrow(/100000x100000 .*over the limit/);
    await expect(sharpPixels(file2)).rejects.toThrow(/100000x100000, over the limit/);
  });
});
