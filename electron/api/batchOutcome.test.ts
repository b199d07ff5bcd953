// What the Batch view's row says a file's steps did, read from the engine's resolved steps.
import { describe, expect, it } from 'vitest';
import { stepOutcome } from './batchOutcome';

describe('stepOutcome', () => {
  it('reads the share of damage found by an automatic repair and a colour photo colourize left alone', () => {
    expect(stepOutcome([
      { task: 'inpaint', model: 'i', settings: { mask: 'auto', maskPercent: 0.84, detector: 'd', threshold: 0.5 } },
      { task: 'denoise', model: 'n', settings: { sigma: 3, sigmaMode: 'auto' } },
      { task: 'colorize', model: 'c', settings: { skipped: 'colour photo' } },
    ])).toEqual({ damagePercent: 0.84, colorizeSkipped: 'colour photo' });
    expect(stepOutcome([{ task: 'inpaint', model: 'i', settings: { mask: 'auto', maskPercent: 0 } }])).toEqual({ damagePercent: 0 });
  });
  it('says nothing for a painted mask, a colourized photo or no steps', () => {
    expect(stepOutcome([{ task: 'inpaint', model: 'i', settings: { mask: '/m.png', maskPercent: 3 } }, { task: 'colorize', model: 'c', settings: { saturation: 1 } }])).toEqual({});
    expect(stepOutcome(undefined)).toEqual({});
  });
});
