// Memory: a 50-megapixel image is read and written without float copies or extra full-size
// copies. The raster's typed array must be a view on one buffer of exactly width*height*channels
// samples, and the bytes held by ArrayBuffers may grow by about one raster per read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readImage, writeImage } from './index';
import { makeTempDir, removeDir, testRaster } from '../../test/fixtures/imageio/fixtures';

let dir = '';
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeDir(dir);
});

describe('50-megapixel image', () => {
  it('reads and writes with about one raster of memory', async () => {
    const width = 8660;
    const height = 5774; // 50.0 MP
    const src = testRaster(width, height, 3);
    const file = path.join(dir, 'big.png');
    await writeImage(file, src, { format: 'png', depth: 8 });
    const bytes = width * height * 3;
    const before = process.memoryUsage().arrayBuffers;
    const { raster } = await readImage(file);
    const grown = process.memoryUsage().arrayBuffers - before;
    expect([raster.width, raster.height, raster.channels, raster.depth]).toEqual([width, height, 3, 8]);
    expect(raster.data).toBeInstanceOf(Uint8Array);
    expect(raster.data.byteLength).toBe(bytes);
    expect(raster.data.buffer.byteLength).toBe(bytes); // a view on sharp's buffer, not a copy
    expect(grown).toBeLessThan(bytes * 1.2);
    for (const i of [0, 12345, Math.floor(bytes / 2), bytes - 1]) expect(raster.data[i]).toBe(src.data[i]);
    const out = path.join(dir, 'big.jpg');
    const w0 = process.memoryUsage().arrayBuffers;
    await writeImage(out, raster, { format: 'jpg', depth: 8 });
    expect(process.memoryUsage().arrayBuffers - w0).toBeLessThan(bytes * 0.5); // only the encoded file
  });
});
