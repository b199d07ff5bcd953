// The noise estimator against known sigma: real images from shared/data with seeded Gaussian
// noise added (float, then clipped to 8 bits as a saved noisy photo would be).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../imageio/read';
import { estimateNoiseSigma } from './noiseEstimate';
import type { PixelBuffer } from './sources';

function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

function addNoise(buf: PixelBuffer, sigma: number, seed: number): PixelBuffer {
  const n = gaussian(seed);
  const data = new Uint8Array(buf.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.min(255, Math.max(0, Math.round(buf.data[i]! + sigma * n())));
  return { ...buf, data };
}

describe('estimateNoiseSigma', () => {
  for (const file of ['CBSD68/101085.png', 'CBSD68/102061.png', 'McMaster/1.png', 'Set12/01.png']) {
    it(`recovers known sigma on ${file}`, async () => {
      const { raster } = await readImage(path.join('/work/shared/data/eval', file));
      const clean = estimateNoiseSigma(raster);
      expect(clean).toBeLessThan(8); // fine texture/grain of the clean photo reads as a little noise
      for (const sigma of [5, 15, 25, 50]) {
        const est = estimateNoiseSigma(addNoise(raster, sigma, sigma));
        // clipping at 0/255 lowers the effective sigma at 50 (measured 42-47); texture raises it at 5
        expect(Math.abs(est - sigma)).toBeLessThan(Math.max(4.5, 0.16 * sigma));
      }
    });
  }

  it('is scale-free across 8 and 16 bits', async () => {
    const { raster } = await readImage('/work/shared/data/eval/CBSD68/101085.png');
    const noisy = addNoise(raster, 20, 1);
    const wide: PixelBuffer = { ...noisy, data: Uint16Array.from(noisy.data, (v) => v * 257) };
    expect(estimateNoiseSigma(wide)).toBeCloseTo(estimateNoiseSigma(noisy), 5);
  });
});
