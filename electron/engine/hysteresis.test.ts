// Hysteresis marking: a line sure only in places is marked along its length, a doubtful blob with
// no sure pixel is not, and low >= high is plain thresholding.
import { describe, expect, it } from 'vitest';
import { damageThresholds, hysteresisMask } from './hysteresis';

describe('hysteresisMask', () => {
  const w = 20, h = 10;
  const prob = new Float32Array(w * h);
  // a diagonal-then-straight line at 0.6 with one sure pixel at its start
  for (let x = 2; x < 18; x++) prob[(x < 6 ? x - 1 : 5) * w + x] = 0.6;
  prob[1 * w + 2] = 0.99;
  // a doubtful blob far from any sure pixel
  prob[8 * w + 15] = 0.7; prob[8 * w + 16] = 0.7;
  const count = (m: Uint8Array): number => m.reduce((s, v) => s + v, 0);

  it('follows a sure mark along connected pixels down to the low threshold', () => {
    const m = hysteresisMask(prob, w, h, 0.95, 0.5);
    expect(count(m)).toBe(16);
    expect(m[5 * w + 17]).toBe(1);
    expect(m[8 * w + 15]).toBe(0);
  });

  it('is plain thresholding when low is not below high', () => {
    expect(count(hysteresisMask(prob, w, h, 0.95, 0.95))).toBe(1);
    expect(count(hysteresisMask(prob, w, h, 0.65, 0.9))).toBe(3);
  });

  it('takes the model\'s pair, or a user\'s threshold as the high one with the low one kept below it', () => {
    expect(damageThresholds({ threshold: 0.98, thresholdLow: 0.7 })).toEqual({ high: 0.98, low: 0.7 });
    expect(damageThresholds({ threshold: 0.98, thresholdLow: 0.7 }, 0.5)).toEqual({ high: 0.5, low: 0.5 });
    expect(damageThresholds({ threshold: 0.98 })).toEqual({ high: 0.98, low: 0.98 });
    expect(damageThresholds({})).toEqual({ high: 0.5, low: 0.5 });
  });
});
