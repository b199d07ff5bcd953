import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressTracker } from './progress';

describe('ProgressTracker', () => {
  it('has no estimate before any measurement, then extrapolates the measured rate', () => {
    const t = new ProgressTracker(4);
    expect(t.snapshot(0)).toEqual({ done: 0, total: 4, etaSeconds: null, fraction: 0 });
    t.start(0, 0);
    t.finish(0, 2000);
    expect(t.snapshot(2000)).toMatchObject({ done: 1, etaSeconds: 6, fraction: 0.25 });
  });

  it('skipped files cost nothing and leave the rate alone', () => {
    const t = new ProgressTracker(4);
    t.skip(0);
    t.skip(1);
    t.start(2, 1000);
    t.finish(2, 4000);
    expect(t.snapshot(4000)).toMatchObject({ done: 3, etaSeconds: 3, fraction: 0.5 });
  });

  it('gives no estimate while the first file is under a fifth done (model loading)', () => {
    const t = new ProgressTracker(3);
    t.start(0, 0);
    t.update(0.1);
    expect(t.snapshot(5000).etaSeconds).toBeNull();
    t.update(0.25);
    expect(t.snapshot(5000).etaSeconds).toBeCloseTo(55, 6); // 0.25 file per 5 s, 2.75 files left
  });

  it('weights files (megapixels) and counts the current file by its fraction', () => {
    const t = new ProgressTracker(2, [1, 3]);
    t.start(0, 0);
    t.finish(0, 1000);
    t.start(1, 1000);
    t.update(1 / 3);
    const s = t.snapshot(2000);
    expect(s.etaSeconds).toBeCloseTo(2, 6); // 2 MP done in 2 s, 2 MP left
    expect(s.fraction).toBeCloseTo(0.5, 6);
    t.finish(1, 3000);
    expect(t.snapshot(3000)).toMatchObject({ done: 2, etaSeconds: 0, fraction: 1 });
  });

  it('formats durations for humans', () => {
    expect([formatDuration(null), formatDuration(42.4), formatDuration(185), formatDuration(3720)]).toEqual(['?', '42s', '3m05s', '1h02m']);
  });
});
