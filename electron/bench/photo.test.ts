// The benchmark's synthetic photos: deterministic per seed, photo-like (neighbouring pixels
// strongly correlated, a wide range of values, edges), gray variants, and seeded noise of the
// requested standard deviation; files keep their channel count (a gray photo is a gray PNG).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { addGaussianNoise, grayPhoto, photoFile, syntheticPhoto } from './photo';

function neighbourCorrelation(d: Uint8Array, width: number, height: number, channels: number): number {
  let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x + 1 < width; x++) {
      const a = d[(y * width + x) * channels]!, b = d[(y * width + x + 1) * channels]!;
      sx += a; sy += b; sxx += a * a; syy += b * b; sxy += a * b; n++;
    }
  }
  const cov = sxy / n - (sx / n) * (sy / n);
  return cov / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
}

describe('synthetic photo', () => {
  it('is deterministic per seed and photo-like', () => {
    const a = syntheticPhoto(320, 240, 1);
    expect(a.data.length).toBe(320 * 240 * 3);
    expect(syntheticPhoto(320, 240, 1).data).toEqual(a.data);
    expect(syntheticPhoto(320, 240, 2).data).not.toEqual(a.data);
    expect(neighbourCorrelation(a.data, 320, 240, 3)).toBeGreaterThan(0.9);
    const values = new Set(a.data);
    expect(values.size).toBeGreaterThan(150);
    const gray = grayPhoto(a);
    expect(gray.channels).toBe(1);
    expect(gray.data.length).toBe(320 * 240);
  });

  it('adds seeded noise of the requested sigma', () => {
    const flat = { width: 200, height: 200, channels: 1 as const, data: new Uint8Array(40_000).fill(128) };
    const noisy = addGaussianNoise(flat, 25, 3);
    let s = 0, ss = 0;
    for (const v of noisy.data) { s += v - 128; ss += (v - 128) ** 2; }
    const sd = Math.sqrt(ss / noisy.data.length - (s / noisy.data.length) ** 2);
    expect(Math.abs(sd - 25)).toBeLessThan(0.5);
    expect(neighbourCorrelation(noisy.data, 200, 200, 1)).toBeLessThan(0.05);
    expect(addGaussianNoise(flat, 25, 3).data).toEqual(noisy.data);
  });

  it('writes gray photos as 1-channel PNGs and reuses a file of the same request', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photo-test-'));
    try {
      const gray = await photoFile(dir, 64, 48, { sigma: 25, gray: true });
      expect((await sharp(gray).metadata()).channels).toBe(1);
      const colour = await photoFile(dir, 64, 48, { sigma: 25 });
      expect((await sharp(colour).metadata()).channels).toBe(3);
      expect(await photoFile(dir, 64, 48, { sigma: 25, gray: true })).toBe(gray);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
