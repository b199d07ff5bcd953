// Push-pull coarse fill: known pixels are kept, a hole in a flat region takes the region's value,
// a hole across a linear ramp gets values between its rims, and a picture without holes (or
// with nothing known) is left as it is.
import { describe, expect, it } from 'vitest';
import { pushPullFill, pushPullPlane } from './pushPull';

describe('push-pull fill', () => {
  it('fills a hole in a flat colour with that colour and keeps every known pixel', () => {
    const w = 37, h = 23, n = w * h;
    const img = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) { img[i] = 0.8; img[n + i] = 0.1; img[2 * n + i] = 0.3; }
    const hole = new Uint8Array(n);
    for (let y = 5; y < 15; y++) for (let x = 10; x < 30; x++) { hole[y * w + x] = 1; img[y * w + x] = 1; img[n + y * w + x] = 1; img[2 * n + y * w + x] = 1; }
    pushPullFill(img, 3, hole, w, h);
    for (let i = 0; i < n; i++) {
      expect(img[i]).toBeCloseTo(0.8, 5);
      expect(img[n + i]).toBeCloseTo(0.1, 5);
      expect(img[2 * n + i]).toBeCloseTo(0.3, 5);
    }
  });

  it('fills across a ramp with values between the rims, monotone along it', () => {
    const w = 64, h = 16, plane = new Float32Array(w * h), hole = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) plane[y * w + x] = x / (w - 1);
    for (let y = 0; y < h; y++) for (let x = 20; x < 44; x++) { hole[y * w + x] = 1; plane[y * w + x] = 0; }
    pushPullPlane(plane, hole, w, h);
    const row = Array.from(plane.subarray(8 * w, 9 * w));
    for (let x = 20; x < 44; x++) {
      expect(row[x]!).toBeGreaterThan(19 / 63 - 0.05);
      expect(row[x]!).toBeLessThan(44 / 63 + 0.05);
    }
    expect(row[40]!).toBeGreaterThan(row[23]!);
    for (let x = 0; x < 20; x++) expect(row[x]).toBeCloseTo(x / 63, 6);
  });

  it('leaves a picture without holes, or without any known pixel, unchanged', () => {
    const p = Float32Array.from([0.1, 0.2, 0.3, 0.4]);
    pushPullPlane(p, [0, 0, 0, 0], 2, 2);
    expect(Array.from(p)).toEqual(Array.from(Float32Array.from([0.1, 0.2, 0.3, 0.4])));
    pushPullPlane(p, [1, 1, 1, 1], 2, 2);
    expect(Array.from(p)).toEqual(Array.from(Float32Array.from([0.1, 0.2, 0.3, 0.4])));
  });
});
