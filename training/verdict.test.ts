// The final check's verdict: a gain counts when it is clear of the pairs' scatter.
import { describe, expect, it } from 'vitest';
import { MIN_GAIN_DB, verdict } from './verdict';

describe('verdict', () => {
  it('takes a steady gain, and not the same mean gain when the pairs scatter around it', () => {
    const base = [27.1, 25.4, 30.2, 22.8, 28.9, 26.0, 24.7, 29.3];
    const steady = verdict(base, base.map((b, i) => b + 0.05 + (i % 2 ? 0.01 : -0.01)));
    expect(steady.gain).toBeCloseTo(0.05, 10);
    expect(steady.better).toBe(true);
    // the same +0.05 mean, from crops that go up or down by 0.4 dB: a draw, not an improvement
    const scattered = verdict(base, base.map((b, i) => b + 0.05 + (i % 2 ? 0.4 : -0.4)));
    expect(scattered.gain).toBeCloseTo(0.05, 10);
    expect(scattered.margin).toBeGreaterThan(0.25);
    expect(scattered.better).toBe(false);
  });

  it('a loss or a gain below the minimum is never better; a single pair needs only the minimum', () => {
    expect(verdict([30, 31], [29.9, 30.95]).better).toBe(false);
    expect(verdict([30, 31], [30.005, 31.005]).better).toBe(false);
    expect(verdict([30], [30 + MIN_GAIN_DB])).toMatchObject({ margin: 0, better: true });
    expect(() => verdict([30], [30, 31])).toThrow(/1 base scores for 2 model scores/);
  });
});
