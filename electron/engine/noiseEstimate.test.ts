// The noise estimator against known sigma: real images from shared/data with seeded Gaussian
// noise added (float, then clipped to 8 bits as a saved noisy photo would be), including the two
// cases the plain residual + MAD rule got wrong: texture at low sigma (read too high) and clipping
// at high sigma (sigma 75 read about 60).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../imageio/read';
import { estimateNoiseSigma, estimateNoiseSigmaPlanes, type NoisePlane } from './noiseEstimate';
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

/** Float planes (0-255 scale, unclipped) of a raster plus noise. */
function noisyPlanes(buf: PixelBuffer, sigma: number, seed: number): NoisePlane[] {
  const n = gaussian(seed);
  return Array.from({ length: buf.channels }, (_, c) => {
    const data = new Float32Array(buf.width * buf.height);
    for (let i = 0; i < data.length; i++) data[i] = buf.data[i * buf.channels + c]! + sigma * n();
    return { width: buf.width, height: buf.height, data };
  });
}

const EVAL = '/work/shared/data/eval';

describe('estimateNoiseSigma', () => {
  for (const file of ['CBSD68/101085.png', 'CBSD68/102061.png', 'McMaster/1.png', 'Set12/01.png']) {
    it(`recovers known sigma 5-75 on ${file}, 8-bit clipped and float`, async () => {
      const { raster } = await readImage(path.join(EVAL, file));
      expect(estimateNoiseSigma(raster)).toBeLessThan(4); // a clean photo's fine texture reads as a little noise
      for (const sigma of [5, 15, 25, 50, 75]) {
        const clipped = estimateNoiseSigma(addNoise(raster, sigma, sigma));
        // the plain residual + MAD rule was off by up to +4 at sigma 5 (texture) and -6 / -14 at 50 / 75 (clipping)
        expect(Math.abs(clipped - sigma)).toBeLessThan(Math.max(1.25, 0.05 * sigma));
        const float = estimateNoiseSigmaPlanes(noisyPlanes(raster, sigma, sigma), { clipped: false });
        expect(Math.abs(float - sigma)).toBeLessThan(Math.max(1.25, 0.03 * sigma));
      }
    });
  }

  it('is scale-free across 8 and 16 bits', async () => {
    const { raster } = await readImage(`${EVAL}/CBSD68/101085.png`);
    const noisy = addNoise(raster, 20, 1);
    const wide: PixelBuffer = { ...noisy, data: Uint16Array.from(noisy.data, (v) => v * 257) };
    expect(estimateNoiseSigma(wide)).toBeCloseTo(estimateNoiseSigma(noisy), 5);
  });

  it('samples large images in crops and still finds sigma', async () => {
    const { raster } = await readImage(`${EVAL}/McMaster/1.png`);
    const noisy = addNoise(raster, 30, 3);
    const few = estimateNoiseSigma(noisy, { maxSamples: 60_000 }); // 4 crops of 132 x 132 of the 500 x 500 image
    expect(Math.abs(few - 30)).toBeLessThan(1.5);
  });

  it('answers for images smaller than one block', () => {
    const tiny = addNoise({ width: 6, height: 5, channels: 1, data: new Uint8Array(30).fill(128) }, 10, 5);
    expect(estimateNoiseSigma(tiny)).toBeGreaterThan(3);
    expect(estimateNoiseSigma({ width: 2, height: 2, channels: 1, data: new Uint8Array(4) })).toBe(0);
  });
});
