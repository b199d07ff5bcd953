// Inputs that used to give a wrong output with exit 0 (issue 16, item 6). (1) 32-bit float TIFFs
// with values 0-1 (gray and RGB) are read at their brightness, not black; a float TIFF outside
// 0-1 is refused with an error naming the file. (2) Animated GIF/WebP and multi-page TIFF: only
// the first frame/page is processed, and the run says so (file-done `frames` and `note`, a note
// on stderr). (3) BMP scans, which libvips cannot read, are read by our own decoder: a folder of
// them is processed like the same pictures as PNG, and written as PNG.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { writeFloatTiff } from './floatTiff';
import { buildBmp } from '../fixtures/imageio/bmp';
import { ofType, restore, tempDir, useTestModels } from './helpers';

const models = useTestModels();
let dir: string;
const W = 64;
const H = 48;

beforeAll(async () => {
  dir = await tempDir('unusual');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const run = (input: string, out: string) =>
  restore(['denoise', input, '-o', out, '--sigma', '5', '--json', '--models-dir', models().dir, '--threads', '1']);

/** Mean sample value of an image file, 0-1, whatever its bit depth. */
async function meanOf(file: string): Promise<number> {
  const m = await sharp(file).metadata();
  const max = m.depth === 'ushort' ? 65535 : 255;
  return (await sharp(file).stats()).channels.slice(0, 3).reduce((a, c) => a + c.mean, 0) / Math.min(3, m.channels) / max;
}

/** The same pixels as a 16-bit PNG: the reference the float file must be read like. */
async function write16(file: string, channels: 1 | 3, values: Float32Array): Promise<void> {
  const v16 = Uint16Array.from(values, (v) => Math.round(v * 65535));
  await sharp(v16, { raw: { width: W, height: H, channels } })
    .toColourspace(channels === 1 ? 'grey16' : 'rgb16')
    .png()
    .toFile(file);
  expect((await sharp(file).metadata()).depth).toBe('ushort');
}

describe('32-bit float TIFF', () => {
  it('a gray float TIFF with values 0-1 is read like the same picture in 16 bits (not black)', async () => {
    const data = new Float32Array(W * H);
    for (let i = 0; i < data.length; i++) data[i] = 0.3 + 0.4 * ((i % W) / (W - 1)); // 0.3..0.7, mean 0.5
    const input = path.join(dir, 'gray-float.tif');
    await writeFloatTiff(input, W, H, 1, data);
    await write16(path.join(dir, 'gray-16.png'), 1, data);
    const r = await run(input, path.join(dir, 'gray-float-out.tif'));
    expect(r.code, r.stderr).toBe(0);
    const ref = await run(path.join(dir, 'gray-16.png'), path.join(dir, 'gray-16-out.png'));
    expect(ref.code, ref.stderr).toBe(0);
    const [got, want] = [await meanOf(path.join(dir, 'gray-float-out.tif')), await meanOf(path.join(dir, 'gray-16-out.png'))];
    expect(want).toBeGreaterThan(0.3); // the test denoiser is residual: it keeps the picture
    expect(got).toBeCloseTo(want, 2);
  });

  it('an RGB float TIFF (linear scRGB, 0-1) is read at its sRGB values', async () => {
    const data = new Float32Array(W * H * 3).fill(0.214); // linear 0.214 = sRGB 0.5
    const input = path.join(dir, 'rgb-float.tif');
    await writeFloatTiff(input, W, H, 3, data);
    await write16(path.join(dir, 'rgb-16.png'), 3, new Float32Array(W * H * 3).fill(0.5));
    const r = await run(input, path.join(dir, 'rgb-float-out.tif'));
    expect(r.code, r.stderr).toBe(0);
    const ref = await run(path.join(dir, 'rgb-16.png'), path.join(dir, 'rgb-16-out.png'));
    expect(ref.code, ref.stderr).toBe(0);
    const [got, want] = [await meanOf(path.join(dir, 'rgb-float-out.tif')), await meanOf(path.join(dir, 'rgb-16-out.png'))];
    expect(want).toBeGreaterThan(0.3);
    expect(got).toBeCloseTo(want, 2);
  });

  it('a float TIFF with values outside 0-1 is refused, naming the file', async () => {
    const data = new Float32Array(W * H).fill(200);
    const input = path.join(dir, 'gray-float-255.tif');
    await writeFloatTiff(input, W, H, 1, data);
    const r = await run(input, path.join(dir, 'never.tif'));
    expect(r.code).toBe(1);
    const failed = ofType(r.events, 'file-failed');
    expect(failed).toHaveLength(1);
    expect(String(failed[0]!.error)).toMatch(new RegExp(`^${input.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*floating-point.*0-1`));
  });
});

describe('several frames or pages', () => {
  const frames = async (): Promise<Buffer[]> =>
    Promise.all(['#c04040', '#40c040', '#4040c0'].map((c) => sharp({ create: { width: 40, height: 30, channels: 3, background: c } }).png().toBuffer()));

  for (const [name, write] of [
    ['anim.gif', (s: Sharp) => s.gif()],
    ['anim.webp', (s: Sharp) => s.webp()],
    ['pages.tif', (s: Sharp) => s.tiff()],
  ] as const) {
    it(`${name}: only the first is processed, and the run says so`, async () => {
      const input = path.join(dir, name);
      await write(sharp(await frames(), { join: { animated: true } })).toFile(input);
      const r = await run(input, path.join(dir, `out-${name}.png`));
      expect(r.code, r.stderr).toBe(0);
      const done = ofType(r.events, 'file-done');
      expect(done).toHaveLength(1);
      expect(done[0]).toMatchObject({ frames: 3 });
      expect(String(done[0]!.note)).toMatch(/only the first of 3 (frames|pages)/);
      expect(r.stderr).toMatch(new RegExp(`${name}: only the first of 3 (frames|pages)`));
    });
  }
});

describe('BMP scans', () => {
  it('a folder of BMP files is processed like the same pictures as PNG, and written as PNG', async () => {
    const folder = path.join(dir, 'bmp-scans');
    await fs.mkdir(folder);
    const rows: number[][] = [];
    const rgb = Buffer.alloc(W * H * 3);
    for (let y = 0; y < H; y++) {
      const row: number[] = [];
      for (let x = 0; x < W; x++) {
        const [r, g, b] = [(x * 4) % 256, (y * 5) % 256, ((x + y) * 3) % 256];
        row.push(b, g, r);
        rgb.set([r, g, b], ((H - 1 - y) * W + x) * 3); // BMP rows are stored bottom-up
      }
      rows.push(row);
    }
    await fs.writeFile(path.join(folder, 'scan.bmp'), buildBmp({ width: W, height: H, bitCount: 24, rows }));
    const png = path.join(dir, 'scan-as.png');
    await sharp(rgb, { raw: { width: W, height: H, channels: 3 } }).png().toFile(png);
    const out = path.join(dir, 'bmp-out');
    const r = await run(folder, out);
    expect(r.code, r.stderr).toBe(0);
    expect(ofType(r.events, 'file-done')).toHaveLength(1);
    expect(await fs.readdir(out)).toEqual(['scan.png']);
    const ref = await run(png, path.join(dir, 'scan-as-out.png'));
    expect(ref.code, ref.stderr).toBe(0);
    const [got, want] = await Promise.all([path.join(out, 'scan.png'), path.join(dir, 'scan-as-out.png')].map((f) => sharp(f).raw().toBuffer()));
    expect(got!.equals(want!)).toBe(true);
  });
});
