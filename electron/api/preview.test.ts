// Preview copies of the restore call: the downscaled size, colour points scaled with the image
// (pixel centres onto pixel centres, clamped, radius by the same factor), and real copies made
// with sharp (upright, cached per file version, none for a photo already small enough).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreviewCopies, previewSize, scaleStepsForPreview } from './preview';

describe('previewSize', () => {
  it('scales the long side to maxSide and leaves smaller images alone', () => {
    expect(previewSize(3000, 2000, 768)).toEqual({ width: 768, height: 512 });
    expect(previewSize(1000, 4000, 768)).toEqual({ width: 192, height: 768 });
    expect(previewSize(768, 500, 768)).toBeNull();
    expect(previewSize(5000, 1, 768)).toEqual({ width: 768, height: 1 });
  });
});

describe('scaleStepsForPreview', () => {
  it('moves colour points with their pixels and scales explicit radii; other steps unchanged', () => {
    const hints = [
      { x: 1499.5, y: 999.5, color: '#ff0000' },
      { x: 0, y: 0, color: '#00ff00', radius: 40 },
      { x: 2999, y: 1999, color: '#0000ff' },
    ];
    const steps = [
      { task: 'denoise' as const, sigma: 'auto' as const },
      { task: 'colorize' as const, saturation: 1.5, hints },
    ];
    const out = scaleStepsForPreview(steps, { width: 3000, height: 2000 }, { width: 768, height: 512 });
    expect(out[0]).toBe(steps[0]);
    const c = out[1]!;
    if (c.task !== 'colorize') throw new Error('colorize expected');
    expect(c.saturation).toBe(1.5);
    // The centre stays the centre: (1499.5 + 0.5) * 0.256 - 0.5 = 383.5.
    expect(c.hints![0]!.x).toBeCloseTo(383.5, 6);
    expect(c.hints![0]!.y).toBeCloseTo(255.5, 6);
    expect(c.hints![0]).not.toHaveProperty('radius');
    expect(c.hints![1]).toEqual({ x: 0, y: 0, color: '#00ff00', radius: 40 * 0.256 });
    // The last pixel maps inside the copy.
    expect(c.hints![2]!.x).toBeLessThanOrEqual(767);
    expect(c.hints![2]!.y).toBeLessThanOrEqual(511);
    expect(c.hints![2]!.x).toBeGreaterThan(766);
    expect(hints[0]!.x).toBe(1499.5); // the input is not modified
  });
});

describe('PreviewCopies', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-preview-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('makes an upright downscaled PNG once per file version', async () => {
    // 1200 x 400 stored, EXIF orientation 6 (rotate 90°): upright it is 400 x 1200.
    const photo = path.join(dir, 'tall.jpg');
    const data = Buffer.alloc(1200 * 400 * 3);
    for (let i = 0; i < 1200 * 400; i++) data.set(i % 1200 < 600 ? [200, 30, 30] : [30, 30, 200], i * 3);
    await sharp(data, { raw: { width: 1200, height: 400, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toFile(photo);
    const copies = new PreviewCopies(path.join(dir, 'ws'));
    const copy = await copies.copyOf(photo, 300);
    expect(copy).not.toBeNull();
    expect(copy!.source).toEqual({ width: 400, height: 1200 });
    expect({ width: copy!.width, height: copy!.height }).toEqual({ width: 100, height: 300 });
    expect(path.dirname(copy!.path)).toBe(path.join(dir, 'ws', 'previews'));
    const meta = await sharp(copy!.path).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 100, 300]);
    // Rotated 90° clockwise: the stored left half (red) is now the top half.
    const { data: px } = await sharp(copy!.path).raw().toBuffer({ resolveWithObject: true });
    expect(px[(10 * 100 + 50) * meta.channels!]).toBeGreaterThan(150);
    expect(px[(290 * 100 + 50) * meta.channels! + 2]).toBeGreaterThan(150);

    const again = await copies.copyOf(photo, 300);
    expect(again).toEqual(copy);
    const made = (await fs.stat(copy!.path)).mtimeMs;
    // A new version of the file gets a new copy.
    await new Promise((r) => setTimeout(r, 20));
    await sharp(data, { raw: { width: 1200, height: 400, channels: 3 } }).jpeg().toFile(photo);
    const fresh = await copies.copyOf(photo, 300);
    expect(fresh!.path).not.toBe(copy!.path);
    expect(fresh!.source).toEqual({ width: 1200, height: 400 });
    expect((await fs.stat(copy!.path)).mtimeMs).toBe(made);
  });

  it('returns null for a photo no larger than maxSide, and a one-line error for a broken file', async () => {
    const small = path.join(dir, 'small.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } }).png().toFile(small);
    const copies = new PreviewCopies(path.join(dir, 'ws2'));
    expect(await copies.copyOf(small, 64)).toBeNull();
    const broken = path.join(dir, 'broken.png');
    await fs.writeFile(broken, 'not a png');
    await expect(copies.copyOf(broken, 64)).rejects.toThrow(/broken\.png/);
  });
});
