// sRGB <-> Lab against published reference values (D65) and round trips over the 8-bit cube.
import { describe, expect, it } from 'vitest';
import { grayToL, labToSrgb, srgbToLab } from './lab';

describe('Lab', () => {
  it('matches reference values', () => {
    const lab = [0, 0, 0];
    srgbToLab(1, 0, 0, lab); // sRGB red: L 53.24, a 80.09, b 67.20
    expect(lab[0]).toBeCloseTo(53.24, 1);
    expect(lab[1]).toBeCloseTo(80.09, 1);
    expect(lab[2]).toBeCloseTo(67.2, 1);
    srgbToLab(1, 1, 1, lab);
    expect(lab[0]).toBeCloseTo(100, 3);
    expect(Math.abs(lab[1]!) + Math.abs(lab[2]!)).toBeLessThan(0.01);
    expect(grayToL(0.5)).toBeCloseTo(53.39, 1);
    expect(grayToL(0)).toBe(0);
  });

  it('round-trips every 8-bit colour on a 17-step grid within half a code value', () => {
    const lab = [0, 0, 0];
    const rgb = [0, 0, 0];
    let worst = 0;
    for (let r = 0; r <= 255; r += 15)
      for (let g = 0; g <= 255; g += 15)
        for (let b = 0; b <= 255; b += 15) {
          srgbToLab(r / 255, g / 255, b / 255, lab);
          labToSrgb(lab[0]!, lab[1]!, lab[2]!, rgb);
          worst = Math.max(worst, Math.abs(rgb[0]! * 255 - r), Math.abs(rgb[1]! * 255 - g), Math.abs(rgb[2]! * 255 - b));
        }
    expect(worst).toBeLessThan(0.5);
  });

  it('clamps out-of-gamut Lab into [0, 1]', () => {
    const rgb = [0, 0, 0];
    labToSrgb(50, 127, -127, rgb);
    for (const v of rgb) expect(v >= 0 && v <= 1).toBe(true);
  });
});
