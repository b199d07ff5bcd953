// The mask helpers of the repair steps: growing a detected mask (separable square dilation) and
// the block occupancy that decides which inpainting windows run.
import { describe, expect, it } from 'vitest';
import { growMask } from './detectDamage';
import { maskOccupancy } from './inpaint';

describe('repair mask helpers', () => {
  it('grows marked pixels by r in every direction (a square), clipped at the borders', () => {
    const w = 9, h = 7, m = new Uint8Array(w * h);
    m[3 * w + 4] = 255;
    m[0] = 255;
    const g = growMask(m, w, h, 2);
    const set = (x: number, y: number): boolean => g[y * w + x] === 255;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const near = (Math.abs(x - 4) <= 2 && Math.abs(y - 3) <= 2) || (x <= 2 && y <= 2);
      expect(set(x, y), `${x},${y}`).toBe(near);
    }
    expect(growMask(m, w, h, 0)).toBe(m);
  });

  it('answers whether a rectangle holds a mask pixel, at block granularity but never missing one', () => {
    const w = 100, h = 70, m = new Uint8Array(w * h);
    m[50 * w + 80] = 255;
    const any = maskOccupancy(m, w, h);
    expect(any(0, 0, w, h)).toBe(true);
    expect(any(80, 50, 1, 1)).toBe(true);
    expect(any(70, 40, 20, 20)).toBe(true);
    expect(any(0, 0, 40, 40)).toBe(false);
    expect(any(0, 0, w, 32)).toBe(false); // rows 0-31: the pixel's block starts at row 48
    // exhaustive: a rectangle holding the pixel is always reported
    for (let x0 = 60; x0 <= 81; x0 += 3) for (let y0 = 30; y0 <= 51; y0 += 3) expect(any(x0, y0, 81 - x0, 51 - y0)).toBe(true);
  });
});
