// Old-print degradations on real photos of both orientations: the evaluation protocol's film grain
// covers the whole photo (a portrait photo once got NaN, saved as black, below its top w rows) with
// the strength the protocol names, and the training pairs keep their shape and range.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { loadPlanar } from '../eval/images';
import { gaussianBlur, type Planar } from './degrade';
import { grainPlane, oldPrintPair, oldPrintProtocol } from './oldPrint';

const PORTRAIT = '/work/shared/data/eval/CBSD68/101085.png'; // 321 x 481
const LANDSCAPE = '/work/shared/data/eval/CBSD68/108005.png'; // 481 x 321

/** Standard deviation of (input - blurred target) over rows [y0, y1): the grain the protocol added. */
function grainSd(input: Planar, target: Planar, y0: number, y1: number): number {
  const blurred = gaussianBlur(target, 0.8);
  let s = 0, s2 = 0, n = 0;
  for (let y = y0; y < y1; y++) for (let x = 0; x < input.w; x++) {
    const d = (input.data[y * input.w + x] as number) - (blurred.data[y * input.w + x] as number);
    s += d; s2 += d * d; n++;
  }
  return Math.sqrt(s2 / n - (s / n) ** 2);
}

describe('old-print degradations', () => {
  it('grain planes of any shape are finite with unit variance', () => {
    for (const [h, w] of [[40, 90], [90, 40], [64, 64]] as const) {
      for (const correlated of [false, true]) {
        const n = grainPlane(h, w, new Rng(3), correlated, 1);
        expect(n.length).toBe(h * w);
        expect(n.every(Number.isFinite)).toBe(true);
        const mean = n.reduce((a, v) => a + v, 0) / n.length;
        const sd = Math.sqrt(n.reduce((a, v) => a + (v - mean) ** 2, 0) / n.length);
        expect(sd).toBeGreaterThan(0.75);
        expect(sd).toBeLessThan(1.25);
      }
    }
  });

  it('the evaluation protocol grains a portrait photo down to its last row, as much as a landscape one', async () => {
    for (const file of [PORTRAIT, LANDSCAPE]) {
      const clean = await loadPlanar(file, 1);
      const p = oldPrintProtocol(clean, new Rng(7));
      expect(p.input.data.every(Number.isFinite)).toBe(true);
      const top = grainSd(p.input, p.target, 0, Math.floor(clean.h / 3));
      const bottom = grainSd(p.input, p.target, clean.h - Math.floor(clean.h / 3), clean.h);
      // sd 0.05 times the mid-tone weight (0.4-1): visible grain in both thirds, of similar size
      for (const sd of [top, bottom]) {
        expect(sd).toBeGreaterThan(0.015);
        expect(sd).toBeLessThan(0.06);
      }
      expect(bottom / top).toBeGreaterThan(0.5);
      expect(bottom / top).toBeLessThan(2);
    }
  });

  it('training pairs of non-square photos stay finite and in range', async () => {
    const rng = new Rng(11);
    for (const file of [PORTRAIT, LANDSCAPE]) {
      const full = await loadPlanar(file, 3);
      for (let k = 0; k < 6; k++) {
        const { input, target } = oldPrintPair(full, rng);
        expect(input.h).toBe(full.h);
        expect(target.w).toBe(full.w);
        expect(input.data.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
      }
    }
  });
});
