// The colour points' effect fades with the distance to the nearest point, not at the network's reach.
import { describe, expect, it } from 'vitest';
import { fadeHintResponse } from './hintFade';

describe('fadeHintResponse', () => {
  it('keeps the answer with the points near them, fades it by a Gaussian of the distance, and leaves the automatic answer far away', () => {
    const w = 200, h = 10, n = w * h, sigma = 20;
    const automatic = new Float32Array(2 * n).fill(0.1);
    const hinted = new Float32Array(2 * n).fill(0.5);
    for (let i = 0; i < n; i++) hinted[n + i] = -0.3; // b plane
    fadeHintResponse(hinted, automatic, w, h, [{ x: 0, y: 5 }, { x: 199, y: 5 }], sigma);
    const at = (x: number, y = 5): [number, number] => [hinted[y * w + x]!, hinted[n + y * w + x]!];
    expect(at(0)).toEqual([0.5, -0.3].map((v) => expect.closeTo(v, 6)));
    // one sigma from the nearer point: exp(-1/2) of the change is left
    const g = Math.exp(-0.5);
    expect(at(20)[0]).toBeCloseTo(0.1 + g * 0.4, 5);
    expect(at(179)[1]).toBeCloseTo(0.1 + g * -0.4, 5);
    // halfway between, five sigmas from both: the automatic answer
    expect(at(100)[0]).toBeCloseTo(0.1, 5);
    expect(at(100)[1]).toBeCloseTo(0.1, 5);
    // smooth: no step anywhere along the row
    for (let x = 1; x < w; x++) expect(Math.abs(at(x)[0] - at(x - 1)[0])).toBeLessThan(0.02);
  });

  it('does nothing without points and refuses planes of another size', () => {
    const a = new Float32Array(8).fill(0.4), b = new Float32Array(8);
    fadeHintResponse(a, b, 2, 2, [], 5);
    expect([...a]).toEqual(new Array(8).fill(expect.closeTo(0.4, 6)));
    expect(() => fadeHintResponse(a, new Float32Array(6), 2, 2, [{ x: 0, y: 0 }], 5)).toThrow(/planes do not match 2 x 2/);
  });
});
