// Colourization examples: L and ab of the clean patch, colour points that carry the ground truth's
// local mean chroma, automatic samples without any point, and old-print looks on L only.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { labSplit } from './degrade';
import { AUTOMATIC_SHARE, colorizeExample, oldPrintLuma, sampleTrainHints, windowMeanAb } from './colorizeSample';
import { makeSample } from './tasks';

const side = 32;
function patch(): { c: number; h: number; w: number; data: Float32Array } {
  // left half red-ish, right half blue-ish, with a gradient in lightness
  const n = side * side, d = new Float32Array(3 * n);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
    const i = y * side + x, l = 0.3 + (0.5 * y) / side;
    if (x < side / 2) { d[i] = l + 0.3; d[n + i] = l * 0.5; d[2 * n + i] = l * 0.4; } else { d[i] = l * 0.3; d[n + i] = l * 0.5; d[2 * n + i] = l + 0.3; }
  }
  return { c: 3, h: side, w: side, data: d.map((v) => Math.min(1, v)) };
}

describe('colorize examples', () => {
  it('points carry the local mean ab of the truth; about AUTOMATIC_SHARE of samples have none', () => {
    const { ab } = labSplit(patch());
    const rng = new Rng(3);
    let none = 0;
    for (let k = 0; k < 400; k++) {
      const pts = sampleTrainHints(ab, side, rng);
      if (pts.length === 0) none++;
      for (const p of pts.slice(0, 3)) {
        const m = windowMeanAb(ab, side, p.x, p.y);
        expect([p.a, p.b]).toEqual([m.a, m.b]);
        expect(p.radius).toBeGreaterThanOrEqual(0);
        expect(p.radius).toBeLessThanOrEqual(3);
      }
    }
    expect(none / 400).toBeGreaterThan(AUTOMATIC_SHARE - 0.08);
    expect(none / 400).toBeLessThan(AUTOMATIC_SHARE + 0.08);
    // a point on the red half has +a, on the blue half -b
    expect(windowMeanAb(ab, side, 4, 16).a).toBeGreaterThan(20);
    expect(windowMeanAb(ab, side, 28, 16).b).toBeLessThan(-20);
  });

  it('with a hint frame, point counts shrink with the patch area (sparse as on a whole photo)', () => {
    const { ab } = labSplit(patch());
    const mean = (frame?: number): number => {
      const rng = new Rng(7);
      let total = 0;
      for (let k = 0; k < 2000; k++) total += sampleTrainHints(ab, side, rng, frame).length;
      return total / 2000;
    };
    const perPatch = mean(), perFrame = mean(64);
    // a 32-pixel patch is a quarter of a 64-pixel frame's area
    expect(perFrame / perPatch).toBeGreaterThan(0.2);
    expect(perFrame / perPatch).toBeLessThan(0.32);
    expect(mean(32) / perPatch).toBeGreaterThan(0.9); // a frame the patch's size draws as without
  });

  it('the rendered hint planes agree with the points; the target is the true ab', () => {
    let hinted = 0;
    for (let s = 0; s < 12; s++) {
      const ex = colorizeExample(patch(), new Rng(s));
      expect(ex.ab).toEqual(labSplit(patch()).ab);
      const n = side * side;
      for (let i = 0; i < n; i++) {
        if (ex.hintMask[i] === 0) { expect(ex.hintAb[i]).toBe(0); expect(ex.hintAb[n + i]).toBe(0); }
      }
      if (ex.hintMask.some((v) => v === 1)) hinted++;
    }
    expect(hinted).toBeGreaterThan(3);
  });

  it('old-print looks change L within [0, 1] and leave the chroma target alone', () => {
    const { luma } = labSplit(patch());
    let changed = 0;
    for (let s = 0; s < 8; s++) {
      const l = oldPrintLuma(Float32Array.from(luma), side, new Rng(s));
      expect(l.every((v) => v >= 0 && v <= 1)).toBe(true);
      if (l.some((v, i) => Math.abs(v - luma[i]!) > 1e-3)) changed++;
    }
    expect(changed).toBeGreaterThan(4);
  });

  it('makeSample feeds the hint inputs by role, and L alone to an automatic-only model', async () => {
    const roles = [{ name: 'luma', role: 'luma' as const, channels: 1 }, { name: 'hint_ab', role: 'hint_ab' as const, channels: 2 }, { name: 'hint_mask', role: 'hint_mask' as const, channels: 1 }];
    const s = await makeSample({ task: 'colorize', channels: 3, patch: side, inputs: roles }, patch(), new Rng(5));
    expect(Object.keys(s.inputs).sort()).toEqual(['hint_ab', 'hint_mask', 'luma']);
    expect([s.inputs.luma!.length, s.inputs.hint_ab!.length, s.inputs.hint_mask!.length, s.target.length]).toEqual([side * side, 2 * side * side, side * side, 2 * side * side]);
    const a = await makeSample({ task: 'colorize', channels: 3, patch: side, inputs: [roles[0]!] }, patch(), new Rng(5));
    expect(Object.keys(a.inputs)).toEqual(['luma']);
  });
});
