// The colour-point swatches offered from the automatic result: the model's colour first, then the
// same hue at the pixel's lightness with more chroma (x1.5 / x2, at least CHROMA_FLOOR), inside sRGB;
// a gray pixel gets no livelier ones.
import { describe, expect, it } from 'vitest';
import { srgbToLab } from '../engine/color/lab';
import { CHROMA_FLOOR, LIVELIER, MIN_GAIN, suggestedColours } from './colorSuggestions';

function lab(hex: string): { L: number; chroma: number; hue: number } {
  const v = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const o = [0, 0, 0];
  srgbToLab(v[0]!, v[1]!, v[2]!, o);
  return { L: o[0]!, chroma: Math.hypot(o[1]!, o[2]!), hue: (Math.atan2(o[2]!, o[1]!) * 180) / Math.PI };
}

describe('suggestedColours', () => {
  it('offers a muted sky as colourized, then the same hue and lightness livelier', () => {
    const s = suggestedColours([150, 162, 178]);
    expect(s.map((x) => x.name)).toEqual(['As colourized here', 'Livelier', 'Vivid']);
    expect(s[0]!.color).toBe('#96a2b2');
    const base = lab(s[0]!.color);
    for (const [i, k] of LIVELIER.entries()) {
      const c = lab(s[i + 1]!.color);
      expect(Math.abs(c.L - base.L)).toBeLessThan(1.5);
      expect(Math.abs(c.hue - base.hue)).toBeLessThan(3);
      const wanted = Math.max(k * base.chroma, CHROMA_FLOOR[i]!);
      expect(c.chroma).toBeGreaterThan(wanted - 1);
      expect(c.chroma).toBeLessThan(wanted + 1);
    }
  });

  it('gives a nearly gray colour (a real print\'s sky) its hue at the floor chromas', () => {
    const s = suggestedColours([0xc2, 0xc8, 0xc9]); // chroma ~2.2, a cool cyan-blue hue
    expect(s.map((x) => x.name)).toEqual(['As colourized here', 'Livelier', 'Vivid']);
    const base = lab(s[0]!.color);
    expect(base.chroma).toBeLessThan(3);
    for (const [i, floor] of CHROMA_FLOOR.entries()) {
      const c = lab(s[i + 1]!.color);
      expect(Math.abs(c.chroma - floor)).toBeLessThan(1);
      expect(Math.abs(c.L - base.L)).toBeLessThan(1.5);
      expect(Math.abs(c.hue - base.hue)).toBeLessThan(10); // the base hue is rounded to 8 bits at chroma 2
    }
  });

  it('keeps a saturated colour inside sRGB by pulling the livelier ones back, hue kept', () => {
    const s = suggestedColours([200, 40, 40]);
    const base = lab(s[0]!.color);
    expect(s.length).toBeGreaterThan(1);
    for (const x of s.slice(1)) {
      const c = lab(x.color);
      expect(c.chroma).toBeGreaterThan(MIN_GAIN * base.chroma - 1);
      expect(Math.abs(c.hue - base.hue)).toBeLessThan(4);
    }
    expect(new Set(s.map((x) => x.color)).size).toBe(s.length);
  });

  it('leaves out livelier versions that sRGB has no room for', () => {
    // a cyan-blue at the edge of sRGB (red 0): more chroma at its lightness and hue does not exist
    const s = suggestedColours([0, 119, 151]);
    expect(s.map((x) => x.name)).toEqual(['As colourized here']);
  });

  it('offers only the colour itself on a gray pixel (or one off gray by 8-bit rounding)', () => {
    expect(suggestedColours([120, 120, 120])).toEqual([{ name: 'As colourized here', color: '#787878' }]);
    expect(suggestedColours([121, 120, 119])).toEqual([{ name: 'As colourized here', color: '#797877' }]);
  });
});
