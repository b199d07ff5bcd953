// Round trips through real files: every write format at 8 and 16 bits, gray/gray+alpha/RGB/RGBA,
// pixel-exact for lossless formats and within a PSNR bound for lossy ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readImage, writeImage, type WriteFormat } from './index';
import { makeTempDir, psnr, removeDir, samePixels, testRaster } from '../../test/fixtures/imageio/fixtures';

let dir = '';
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeDir(dir);
});

const layouts = [1, 2, 3, 4] as const;

describe('lossless formats round-trip pixel-exact', () => {
  for (const format of ['png', 'tif'] as WriteFormat[]) {
    for (const depth of [8, 16] as const) {
      for (const channels of layouts) {
        it(`${format} ${depth}-bit ${channels} channel(s)`, async () => {
          const src = testRaster(67, 41, channels, depth);
          const file = path.join(dir, `ll-${channels}-${depth}.${format}`);
          await writeImage(file, src, { format, depth });
          const { raster, meta } = await readImage(file);
          expect(meta.depth).toBe(depth);
          expect(raster.depth).toBe(depth);
          expect(raster.channels).toBe(channels);
          expect(raster.hasAlpha).toBe(channels === 2 || channels === 4);
          expect(raster.data).toBeInstanceOf(depth === 16 ? Uint16Array : Uint8Array);
          expect(samePixels(src, raster)).toBe(true);
        });
      }
    }
  }
});

describe('lossy formats round-trip within a PSNR bound', () => {
  it('JPEG RGB at quality 92 stays above 40 dB', async () => {
    const src = testRaster(96, 64, 3);
    const file = path.join(dir, 'lossy.jpg');
    await writeImage(file, src, { format: 'jpg', depth: 8, quality: 92 });
    const { raster, meta } = await readImage(file);
    expect(meta.format).toBe('jpeg');
    expect(psnr(src, raster)).toBeGreaterThan(40);
  });

  it('JPEG gray stays one channel', async () => {
    const src = testRaster(64, 48, 1);
    const file = path.join(dir, 'gray.jpg');
    await writeImage(file, src, { format: 'jpg', depth: 8 });
    const { raster } = await readImage(file);
    expect(raster.channels).toBe(1);
    expect(psnr(src, raster)).toBeGreaterThan(40);
  });

  it('WebP RGBA keeps alpha and stays above 35 dB', async () => {
    const src = testRaster(96, 64, 4);
    const file = path.join(dir, 'lossy.webp');
    await writeImage(file, src, { format: 'webp', depth: 8, quality: 92 });
    const { raster } = await readImage(file);
    expect(raster.channels).toBe(4);
    expect(psnr(src, raster)).toBeGreaterThan(35);
  });

  it('a 16-bit request for JPEG is written at 8 bits', async () => {
    const src = testRaster(64, 48, 3, 16);
    const file = path.join(dir, 'from16.jpg');
    await writeImage(file, src, { format: 'jpg', depth: 16 });
    const { raster } = await readImage(file);
    expect(raster.depth).toBe(8);
    expect(psnr(src, raster)).toBeGreaterThan(40);
  });

  it('an 8-bit raster written as 16-bit PNG is scaled to the full 16-bit range', async () => {
    const src = testRaster(32, 24, 3, 8);
    const file = path.join(dir, 'up16.png');
    await writeImage(file, src, { format: 'png', depth: 16 });
    const { raster } = await readImage(file);
    expect(raster.depth).toBe(16);
    for (let i = 0; i < src.data.length; i++) expect(raster.data[i]).toBe((src.data[i] ?? 0) * 257);
  });
});

describe('AVIF input', () => {
  it('decodes an AVIF written by libvips', async () => {
    const sharp = (await import('sharp')).default;
    const src = testRaster(64, 48, 3);
    const file = path.join(dir, 'in.avif');
    await sharp(src.data, { raw: { width: 64, height: 48, channels: 3 } }).avif({ quality: 90 }).toFile(file);
    const { raster, meta } = await readImage(file);
    expect(meta.format).toBe('avif');
    expect(raster.channels).toBe(3);
    expect(psnr(src, raster)).toBeGreaterThan(33);
  });
});
