// Orientation, colour management and metadata: EXIF orientations 1-8 come out upright, a P3
// or CMYK input is converted to sRGB, EXIF/ICC/XMP are kept on write (orientation reset to 1),
// and the processing record is readable back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import sharp from 'sharp';
import { exifOrientation, probeImage, readImage, readProcessing, writeImage } from './index';
import { iccColourSpace } from './icc';
import { ifd1Offset } from './exif';
import { makeTempDir, psnr, removeDir, samePixels, testRaster } from '../../test/fixtures/imageio/fixtures';
import type { Raster } from './types';

let dir = '';
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeDir(dir);
});

function rawInput(r: Raster) {
  return sharp(r.data, { raw: { width: r.width, height: r.height, channels: r.channels } });
}

/**
 * Where stored pixel (sx, sy) of a sw x sh image appears on screen under EXIF orientation o
 * (TIFF/EXIF 2.3 definitions: 5 transpose, 6 rotate 90 cw, 7 transverse, 8 rotate 270 cw).
 */
function displayed(o: number, sx: number, sy: number, sw: number, sh: number): [number, number] {
  switch (o) {
    case 2: return [sw - 1 - sx, sy];
    case 3: return [sw - 1 - sx, sh - 1 - sy];
    case 4: return [sx, sh - 1 - sy];
    case 5: return [sy, sx];
    case 6: return [sh - 1 - sy, sx];
    case 7: return [sh - 1 - sy, sw - 1 - sx];
    case 8: return [sy, sw - 1 - sx];
    default: return [sx, sy];
  }
}

/** The stored pixels that a viewer shows as `upright` under EXIF orientation `o`. */
function storedFor(upright: Raster, o: number): Raster {
  const swap = o >= 5;
  const sw = swap ? upright.height : upright.width;
  const sh = swap ? upright.width : upright.height;
  const c = upright.channels;
  const data = new Uint8Array(sw * sh * c);
  for (let sy = 0; sy < sh; sy++) {
    for (let sx = 0; sx < sw; sx++) {
      const [dx, dy] = displayed(o, sx, sy, sw, sh);
      for (let k = 0; k < c; k++) data[(sy * sw + sx) * c + k] = upright.data[(dy * upright.width + dx) * c + k] ?? 0;
    }
  }
  return { ...upright, width: sw, height: sh, data };
}

describe('EXIF orientation', () => {
  const upright = testRaster(40, 24, 3);
  for (let o = 1; o <= 8; o++) {
    it(`orientation ${o} comes out upright (PNG, lossless) and ${o > 1 ? 'is reset to 1 on write' : 'stays 1'}`, async () => {
      const stored = storedFor(upright, o);
      const file = path.join(dir, `orient-${o}.png`);
      await rawInput(stored).withMetadata({ orientation: o }).png().toFile(file);
      expect((await sharp(file).metadata()).orientation).toBe(o);
      const { raster, meta } = await readImage(file);
      expect(meta.orientation).toBe(o);
      expect([meta.width, meta.height]).toEqual([40, 24]);
      expect(samePixels(upright, raster)).toBe(true);
      const probed = await probeImage(file);
      expect([probed.width, probed.height]).toEqual([40, 24]);
      // keeps EXIF but says upright: a viewer must not rotate the result again
      const out = path.join(dir, `orient-${o}-out.jpg`);
      await writeImage(out, raster, { format: 'jpg', depth: 8, metadata: meta });
      const back = await readImage(out);
      expect(back.meta.orientation).toBe(1);
      expect(back.meta.exif && exifOrientation(back.meta.exif)).toBe(1);
      expect(psnr(upright, back.raster)).toBeGreaterThan(38);
    });
  }

  it('JPEG with orientation 6 is rotated', async () => {
    const stored = storedFor(upright, 6);
    const file = path.join(dir, 'orient-6.jpg');
    await rawInput(stored).withMetadata({ orientation: 6 }).jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toFile(file);
    const { raster } = await readImage(file);
    expect([raster.width, raster.height]).toEqual([40, 24]);
    expect(psnr(upright, raster)).toBeGreaterThan(35);
  });
});

/** Strongly saturated colours, where P3 and sRGB values differ clearly. */
function saturated(): Raster {
  const r = testRaster(32, 32, 3);
  for (let i = 0; i < r.data.length; i += 3) {
    r.data[i] = 220;
    r.data[i + 1] = (i / 3) % 32 < 16 ? 30 : 180;
    r.data[i + 2] = 40;
  }
  return r;
}

describe('colour management', () => {
  it('an image with a Display P3 profile is converted to sRGB on read', async () => {
    const srgb = saturated();
    const file = path.join(dir, 'p3.png');
    await rawInput(srgb).withIccProfile('p3').png().toFile(file);
    const stored = await sharp(file, { ignoreIcc: true }).raw().toBuffer();
    const storedRaster: Raster = { ...srgb, data: new Uint8Array(stored) };
    expect(psnr(srgb, storedRaster)).toBeLessThan(30); // the file really holds different (P3) numbers
    const { raster, meta } = await readImage(file);
    expect(meta.icc && iccColourSpace(meta.icc)).toBe('RGB ');
    expect(psnr(srgb, raster)).toBeGreaterThan(40);
  });

  it('a 16-bit image with a P3 profile is converted to sRGB too', async () => {
    const srgb = saturated();
    const file = path.join(dir, 'p3-16.png');
    await rawInput(srgb).withIccProfile('p3').toColourspace('rgb16').png().toFile(file);
    const { raster, meta } = await readImage(file);
    expect(meta.depth).toBe(16);
    expect(psnr(srgb, raster)).toBeGreaterThan(40);
  });

  it('a CMYK JPEG is read as RGB', async () => {
    const srgb = saturated();
    const file = path.join(dir, 'cmyk.jpg');
    await rawInput(srgb).withIccProfile('cmyk').jpeg({ quality: 95 }).toFile(file);
    expect((await sharp(file).metadata()).space).toBe('cmyk');
    const { raster } = await readImage(file);
    expect(raster.channels).toBe(3);
    expect(psnr(srgb, raster)).toBeGreaterThan(20); // CMYK gamut mapping is not exact
  });

  for (const format of ['png', 'jpg', 'tif', 'webp'] as const) {
    for (const depth of format === 'png' || format === 'tif' ? ([8, 16] as const) : ([8] as const)) {
      it(`the input's P3 profile is kept on ${format} ${depth}-bit write with the colours right`, async () => {
        const srgb = saturated();
        const file = path.join(dir, `p3-in-${format}-${depth}.png`);
        await rawInput(srgb).withIccProfile('p3').png().toFile(file);
        const input = await readImage(file);
        const out = path.join(dir, `p3-out-${depth}.${format}`);
        await writeImage(out, depth === 16 ? { ...input.raster, depth: 16, data: Uint16Array.from(input.raster.data, (v) => v * 257) } : input.raster, {
          format,
          depth,
          metadata: input.meta,
        });
        const back = await readImage(out);
        expect(back.meta.icc?.equals(input.meta.icc ?? Buffer.alloc(0))).toBe(true);
        expect(psnr(srgb, back.raster)).toBeGreaterThan(format === 'webp' ? 30 : 38);
      });
    }
  }
});

describe('EXIF, XMP and the processing record', () => {
  async function inputWithExif(): Promise<string> {
    const file = path.join(dir, 'exif-in.jpg');
    await rawInput(testRaster(48, 32, 3))
      .withExif({ IFD0: { Make: 'TestCam', Model: 'Model X', Copyright: 'Jane Doe' }, IFD2: { ExposureTime: '1/125' } })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Grandma 1952</dc:title></rdf:Description></rdf:RDF></x:xmpmeta>')
      .jpeg()
      .toFile(file);
    return file;
  }

  for (const format of ['jpg', 'png', 'webp', 'tif'] as const) {
    it(`${format}: EXIF ${format === 'tif' ? '(not supported by TIFF output) ' : ''}and XMP kept, processing readable back`, async () => {
      const { raster, meta } = await readImage(await inputWithExif());
      expect(meta.exif).toBeDefined();
      const out = path.join(dir, `exif-out.${format}`);
      const processing = { model: 'dncnn-color-s25', task: 'denoise', sigma: '25' };
      await writeImage(out, raster, { format, depth: 8, metadata: meta, processing });
      const back = await sharp(out).metadata();
      if (format !== 'tif') {
        expect(back.exif).toBeDefined();
        const text = back.exif?.toString('latin1') ?? '';
        expect(text).toContain('TestCam');
        expect(text).toContain('Jane Doe');
      }
      expect(back.xmpAsString).toContain('Grandma 1952');
      expect(readProcessing(back.xmp)).toEqual(processing);
    });
  }

  it('XMP orientation is reset and the EXIF thumbnail is unlinked on write', async () => {
    const file = path.join(dir, 'xmp-orient.jpg');
    const stored = storedFor(testRaster(40, 24, 3), 6);
    await rawInput(stored)
      .withExif({ IFD0: { Make: 'TestCam' }, IFD1: { ImageDescription: 'old thumbnail' } })
      .withMetadata({ orientation: 6 })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="6"/></rdf:RDF></x:xmpmeta>')
      .jpeg()
      .toFile(file);
    const { raster, meta } = await readImage(file);
    expect(raster.width).toBe(40);
    const out = path.join(dir, 'xmp-orient-out.png');
    await writeImage(out, raster, { format: 'png', depth: 8, metadata: meta });
    const back = await sharp(out).metadata();
    expect(back.orientation).toBe(1);
    expect(back.xmpAsString).toContain('tiff:Orientation="1"');
    expect(back.exif?.toString('latin1')).toContain('TestCam');
    expect(meta.exif && ifd1Offset(meta.exif)).toBeGreaterThan(0);
    expect(back.exif && ifd1Offset(back.exif)).toBe(0);
  });

  it('keepMetadata false drops the input metadata but still records the processing', async () => {
    const { raster, meta } = await readImage(await inputWithExif());
    const out = path.join(dir, 'stripped.jpg');
    await writeImage(out, raster, { format: 'jpg', depth: 8, metadata: meta, keepMetadata: false, processing: { model: 'm1' } });
    const back = await sharp(out).metadata();
    expect(back.exif?.toString('latin1') ?? '').not.toContain('TestCam');
    expect(back.exif?.toString('latin1') ?? '').toContain('restore-studio');
    expect(back.xmpAsString ?? '').not.toContain('Grandma');
    expect(readProcessing(back.xmp)).toEqual({ model: 'm1' });
  });

  it('re-processing an output replaces the earlier processing record', async () => {
    const { raster, meta } = await readImage(await inputWithExif());
    const first = path.join(dir, 'first.png');
    await writeImage(first, raster, { format: 'png', depth: 8, metadata: meta, processing: { model: 'a' } });
    const again = await readImage(first);
    const second = path.join(dir, 'second.png');
    await writeImage(second, again.raster, { format: 'png', depth: 8, metadata: again.meta, processing: { model: 'b', note: 'quotes " & <tags>' } });
    const back = await sharp(second).metadata();
    expect(readProcessing(back.xmp)).toEqual({ model: 'b', note: 'quotes " & <tags>' });
    expect(back.xmpAsString?.match(/restore:processing=/g)?.length).toBe(1);
    expect(back.xmpAsString).toContain('Grandma 1952');
  });
});
