// The colour-point swatches offered from the automatic result: the model's colour first, then the
// same hue at the pixel's lightness with more chroma, inside sRGB; a gray pixel gets no livelier ones.
import { describe, expect, it } from 'vitest';
import { srgbToLab } from '../engine/color/lab';
import { LIVELIER, MIN_GAIN, suggestedColours } from './colorSuggestions';

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
      expect(c.chroma / base.chroma).toBeGreaterThan(k - 0.15);
      expect(c.chroma / base.chroma).toBeLessThan(k + 0.15);
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

  it('offers only the colour itself on a gray pixel', () => {
    expect(suggestedColours([120, 120, 120])).toEqual([{ name: 'As colourized here', color: '#787878' }]);
  });
});
