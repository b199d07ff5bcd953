// HEIC input, decoded by libheif (WebAssembly) because prebuilt libvips has no HEVC decoder: real
// files made by heif-enc/x265 (test/fixtures/imageio/heic-files/README.md) against their source.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ImageError, probeImage, readImage, type Raster } from './index';
import { decodeHeic } from './heic';
import { sharpPixels } from './pixels';
import { makeTempDir, psnr, removeDir } from '../../test/fixtures/imageio/fixtures';

const files = path.resolve(__dirname, '../../test/fixtures/imageio/heic-files');
const heic = (name: string): string => path.join(files, name);

let dir = '';
let source: Raster;
beforeAll(async () => {
  dir = await makeTempDir();
  source = (await readImage(heic('source.png'))).raster;
});
afterAll(async () => {
  await removeDir(dir);
});

describe('HEIC input', () => {
  it('reads the primary image of a real HEIC close to the photo it was encoded from', async () => {
    const file = heic('photo.heic');
    expect((await probeImage(file)).format).toBe('heic');
    const { raster, meta } = await readImage(file);
    expect([raster.width, raster.height, raster.channels, raster.depth]).toEqual([160, 120, 3, 8]);
    expect(meta).toMatchObject({ format: 'heic', width: 160, height: 120, depth: 8 });
    expect(psnr(raster, source)).toBeGreaterThan(27); // libheif 1.15 (heif-convert) decodes it to 28.2 dB: 4:2:0 chroma at q 92
  });

  it('converts a Display P3 HEIC to sRGB with its embedded profile', async () => {
    const file = heic('photo-p3.heic');
    const { raster, meta } = await readImage(file);
    expect(meta.icc?.length).toBeGreaterThan(0);
    const untagged = await decodeHeic(await fs.readFile(file), file);
    const asIs: Raster = { width: untagged.width, height: untagged.height, channels: 3, hasAlpha: false, depth: 8, data: new Uint8Array(untagged.data) };
    // the P3 numbers read as sRGB are visibly off; converted, they come back to the source's
    expect(psnr(asIs, source)).toBeLessThan(25); // 23.8 dB read untagged, 27.6 converted
    expect(psnr(raster, source)).toBeGreaterThan(psnr(asIs, source) + 3);
  });

  it('keeps the alpha channel of a HEIC that has one', async () => {
    const { raster } = await readImage(heic('photo-alpha.heic'));
    expect([raster.channels, raster.hasAlpha]).toEqual([4, true]);
    const alphaAt = (x: number, y: number): number => raster.data[(y * raster.width + x) * 4 + 3]!;
    expect([alphaAt(10, 60), alphaAt(150, 60)]).toEqual([0, 255]);
  });

  it('previews and scans a HEIC through sharpPixels, from its path and from its bytes', async () => {
    const file = heic('photo.heic');
    for (const src of [file, await fs.readFile(file)]) {
      const { info } = await (await sharpPixels(src, { failOn: 'error' }, file)).resize(80).png().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([80, 60]);
    }
  });

  it('a truncated HEIC is a one-line error naming the file, and libheif prints nothing on stdout', async () => {
    const bytes = await fs.readFile(heic('photo.heic'));
    const cut = path.join(dir, 'cut.heic');
    await fs.writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const stdout = vi.spyOn(process.stdout, 'write');
    const log = vi.spyOn(console, 'log');
    try {
      const err = await readImage(cut).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImageError);
      expect((err as ImageError).message).toMatch(new RegExp(`^${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*HEIC`));
      expect((err as ImageError).message).not.toMatch(/[\r\n]/);
      expect(log).not.toHaveBeenCalled();
      expect(stdout).not.toHaveBeenCalled();
    } finally {
      stdout.mockRestore();
      log.mockRestore();
    }
    expect(await fs.readFile(heic('photo.heic'))).toEqual(bytes);
  });

  it('decodes one file at a time and gives each caller its own image', async () => {
    const [a, b] = await Promise.all([readImage(heic('photo.heic')), readImage(heic('photo-alpha.heic'))]);
    expect([a.raster.channels, b.raster.channels]).toEqual([3, 4]);
    expect(psnr(a.raster, source)).toBeGreaterThan(27);
  });
});
