// Before/after pictures: the textured window is found on real image content, panels are cut at
// the same place (low-resolution inputs aligned by the scale) and written as a real PNG.
import { afterAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { cropPlanar, enlarge, texturedWindow, writeComparison } from './crops';
import { loadPlanar } from './images';
import { imresize } from '../data/degrade';
import type { Planar } from '../data/degrade';

const tmp = path.join(os.tmpdir(), `crops-test-${process.pid}`);
afterAll(async () => { await fs.rm(tmp, { recursive: true, force: true }); });

describe('before/after crops', () => {
  it('finds the textured window of an image that is flat elsewhere', () => {
    const h = 120, w = 200, data = new Float32Array(h * w).fill(0.5);
    for (let y = 64; y < 96; y++) for (let x = 136; x < 168; x++) data[y * w + x] = (x + y) % 2;
    const { x, y } = texturedWindow({ c: 1, h, w, data }, 32, 8);
    expect(x).toBe(136);
    expect(y).toBe(64);
  });

  it('crops and enlarges CHW planes', () => {
    const p: Planar = { c: 2, h: 3, w: 3, data: Float32Array.from({ length: 18 }, (_, i) => i) };
    expect(Array.from(cropPlanar(p, 1, 1, 2, 2).data)).toEqual([4, 5, 7, 8, 13, 14, 16, 17]);
    expect(Array.from(enlarge({ c: 1, h: 1, w: 2, data: Float32Array.of(1, 2) }, 2).data)).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
  });

  it('writes reference | input | output of a Set5 image as one PNG with aligned panels', async () => {
    await fs.mkdir(tmp, { recursive: true });
    const hr = await loadPlanar('/work/shared/data/eval/sr/Set5/x2/HR/img_001.png');
    const lr = imresize(hr, hr.h / 2, hr.w / 2);
    const file = path.join(tmp, 'cmp.png');
    const at = await writeComparison(file, hr, [{ label: 'lr', image: lr }, { label: 'same', image: hr }], 96, 2);
    expect(at.size).toBe(96);
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(96 * 3 + 2 * 4);
    expect(info.height).toBe(96);
    // The third panel is the reference again: identical pixels to the first.
    const px = (x: number, y: number, k: number): number => data[(y * info.width + x) * info.channels + k] as number;
    let diff = 0;
    for (let y = 0; y < 96; y++) for (let x = 0; x < 96; x++) diff += Math.abs(px(x, y, 0) - px(x + 2 * 100, y, 0));
    expect(diff).toBe(0);
    // The enlarged low-resolution panel is close to, but not the same as, the reference.
    let d2 = 0;
    for (let y = 0; y < 96; y++) for (let x = 0; x < 96; x++) d2 += Math.abs(px(x, y, 1) - px(x + 100, y, 1));
    expect(d2 / (96 * 96)).toBeGreaterThan(1);
    expect(d2 / (96 * 96)).toBeLessThan(40);
  });
});
