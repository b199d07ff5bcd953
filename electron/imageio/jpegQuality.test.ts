// JPEG quality from the quantization table: files written by sharp (libjpeg-turbo, IJG tables) at
// known qualities read back within one step, with and without an EXIF block in front; other
// formats and damaged headers give undefined.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { jpegQuality } from './jpegQuality';
import { makeTempDir, removeDir, testRaster } from '../../test/fixtures/imageio/fixtures';

let dir = '';
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeDir(dir);
});

const raw = () => {
  const r = testRaster(64, 48, 3);
  return sharp(r.data, { raw: { width: r.width, height: r.height, channels: 3 } });
};

describe('jpegQuality', () => {
  it.each([20, 50, 75, 90, 95])('reads quality %i back from a libjpeg file', async (q) => {
    const file = path.join(dir, `q${q}.jpg`);
    await raw().jpeg({ quality: q }).toFile(file);
    const got = await jpegQuality(file);
    expect(got).toBeDefined();
    expect(Math.abs(got! - q)).toBeLessThanOrEqual(1);
  });

  it('skips an EXIF block (which may carry a thumbnail with tables of its own)', async () => {
    const file = path.join(dir, 'exif.jpg');
    await raw().withExifMerge({ IFD0: { Copyright: 'x'.repeat(3000) } }).jpeg({ quality: 60 }).toFile(file);
    const head = await fs.readFile(file);
    expect(head[3]).toBe(0xe1); // APP1 first
    expect(Math.abs((await jpegQuality(file))! - 60)).toBeLessThanOrEqual(1);
  });

  it('gives undefined for a PNG, a truncated header and a missing file', async () => {
    const png = path.join(dir, 'a.png');
    await raw().png().toFile(png);
    expect(await jpegQuality(png)).toBeUndefined();
    const full = await raw().jpeg({ quality: 80 }).toBuffer();
    const cut = path.join(dir, 'cut.jpg');
    await fs.writeFile(cut, full.subarray(0, 30));
    expect(await jpegQuality(cut)).toBeUndefined();
    expect(await jpegQuality(path.join(dir, 'none.jpg'))).toBeUndefined();
  });
});
