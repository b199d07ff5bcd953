// Colour points: parsing and validation (every error names the entry and the field), chroma only,
// and the rendered hint planes (disc of ab / 128, mask 1) at the working resolution.
import { describe, expect, it } from 'vitest';
import { hexToAb, hintsToWorking, parseHints, renderHints, rgbToHex, validateHints } from './hints';
import { labToSrgb } from './lab';

describe('colour points', () => {
  it('keep only the chroma of a colour: gray is a = b = 0 at any lightness; red is +a', () => {
    for (const hex of ['#000000', '#808080', '#ffffff']) {
      const { a, b } = hexToAb(hex);
      expect(Math.abs(a)).toBeLessThan(1e-3);
      expect(Math.abs(b)).toBeLessThan(1e-3);
    }
    const red = hexToAb('#ff0000');
    expect(red.a).toBeGreaterThan(70);
    const blue = hexToAb('#0000ff');
    expect(blue.b).toBeLessThan(-90);
    // round trip through Lab at the colour's own lightness
    const px = [0, 0, 0];
    labToSrgb(53.24, red.a, red.b, px);
    expect(rgbToHex(px[0]!, px[1]!, px[2]!)).toBe('#ff0000');
  });

  it('refuse bad files with the entry and the reason', () => {
    expect(() => parseHints('{x', 10, 10)).toThrow(/^not valid JSON/);
    expect(() => parseHints('{"x": 1}', 10, 10)).toThrow(/must be a JSON array/);
    // A file saved by Windows Notepad: byte-order mark and CRLF are fine.
    expect(parseHints('\uFEFF[{"x": 1, "y": 2, "color": "#ff0000"}]\r\n', 10, 10)).toEqual([{ x: 1, y: 2, color: '#ff0000' }]);
    expect(() => validateHints([{ x: 1, y: 1, color: '#00ff00' }, { x: 12, y: 1, color: '#00ff00' }], 10, 10)).toThrow(/^hint 2: point \(12, 1\) is outside the image \(10 x 10 pixels\)$/);
    expect(() => validateHints([{ x: 1, y: 1, color: 'red' }], 10, 10)).toThrow(/^hint 1: "color" must be "#rrggbb" \(got "red"\)$/);
    expect(() => validateHints([{ x: '1', y: 1, color: '#000000' }], 10, 10)).toThrow(/^hint 1: "x" must be a number$/);
    expect(() => validateHints([{ x: 1, y: 1, color: '#000000', size: 3 }], 10, 10)).toThrow(/^hint 1: unknown field "size"$/);
    expect(() => validateHints([{ x: 1, y: 1, color: '#000000', radius: -1 }], 10, 10)).toThrow(/radius/);
    expect(validateHints([{ x: 9, y: 0, color: '#A0b0C0', radius: 3 }], 10, 10)).toEqual([{ x: 9, y: 0, color: '#A0b0C0', radius: 3 }]);
  });

  it('render a disc of the point\'s ab / 128 and a mask; later points win; scaled to working pixels', () => {
    const pts = hintsToWorking([{ x: 20, y: 20, color: '#ff0000' }, { x: 100, y: 60, color: '#0000ff', radius: 4 }], 0.5, 64, 40);
    expect(pts[0]).toEqual(expect.objectContaining({ x: 10, y: 10, radius: 2 }));
    expect(pts[1]).toEqual(expect.objectContaining({ x: 50, y: 30, radius: 2 }));
    const { ab, mask } = renderHints(pts, 64, 40);
    const on = (x: number, y: number): number => mask[y * 64 + x]!;
    expect([on(10, 10), on(12, 10), on(10, 8), on(12, 12), on(13, 10)]).toEqual([1, 1, 1, 0, 0]);
    expect(mask.reduce((a, b) => a + b, 0)).toBe(26); // two discs of radius 2: 13 pixels each
    expect(ab[10 * 64 + 10]).toBeCloseTo(hexToAb('#ff0000').a / 128, 5);
    expect(ab[64 * 40 + 30 * 64 + 50]).toBeCloseTo(hexToAb('#0000ff').b / 128, 5);
    expect(ab[0]).toBe(0);
  });
});
