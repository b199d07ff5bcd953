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

describe('JPEG and alpha', () => {
  it('transparent pixels are composited on white', async () => {
    const src = testRaster(32, 16, 4);
    for (let i = 0; i < src.data.length; i += 4) src.data[i + 3] = 0; // fully transparent
    const file = path.join(dir, 'alpha.jpg');
    await writeImage(file, src, { format: 'jpg', depth: 8, quality: 95 });
    const { raster } = await readImage(file);
    expect(raster.channels).toBe(3);
    for (const v of raster.data) expect(v).toBeGreaterThan(250);
  });
});

describe('other inputs', () => {
  it('palette PNG is read as RGB 8-bit', async () => {
    const src = testRaster(40, 30, 3);
    const file = path.join(dir, 'palette.png');
    const sharp = (await import('sharp')).default;
    await sharp(src.data, { raw: { width: 40, height: 30, channels: 3 } }).png({ palette: true, colours: 256, dither: 0 }).toFile(file);
    expect((await sharp(file).metadata()).isPalette).toBe(true);
    const { raster } = await readImage(file);
    expect([raster.channels, raster.depth]).toEqual([3, 8]);
    expect(psnr(src, raster)).toBeGreaterThan(30);
  });

  it('GIF input is read (first frame)', async () => {
    const src = testRaster(40, 30, 3);
    const file = path.join(dir, 'in.gif');
    const sharp = (await import('sharp')).default;
    await sharp(src.data, { raw: { width: 40, height: 30, channels: 3 } }).gif().toFile(file);
    const { raster, meta } = await readImage(file);
    expect(meta.format).toBe('gif');
    expect([raster.width, raster.height]).toEqual([40, 30]);
    expect(psnr(src, raster)).toBeGreaterThan(25);
  });

  it('density is kept', async () => {
    const sharp = (await import('sharp')).default;
    const file = path.join(dir, 'dpi.jpg');
    await sharp(testRaster(40, 30, 3).data, { raw: { width: 40, height: 30, channels: 3 } }).withDensity(300).jpeg().toFile(file);
    const { raster, meta } = await readImage(file);
    expect(meta.density).toBe(300);
    for (const format of ['png', 'tif', 'jpg'] as WriteFormat[]) {
      const out = path.join(dir, `dpi-out.${format}`);
      await writeImage(out, raster, { format, depth: 8, metadata: meta });
      expect(Math.round((await sharp(out).metadata()).density ?? 0)).toBe(300);
    }
  });
});
