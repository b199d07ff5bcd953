// The request record and the "made by these steps?" verdict of batch skipping (issue 16 item 3),
// on records as processFile writes them and on records of earlier versions (no `request`).
import { describe, expect, it } from 'vitest';
import { compareRecord, describeRequest, requestRecord } from './record';
import type { TaskStep } from './protocol';

const record = (steps: TaskStep[]): Record<string, string> => ({ software: 'restore-studio', steps: '[]', request: JSON.stringify(requestRecord(steps)) });

describe('compareRecord', () => {
  it('same steps and settings: same; any change: changed, naming both', () => {
    const dn: TaskStep[] = [{ task: 'denoise', sigma: 'auto' }];
    expect(compareRecord(record(dn), dn)).toEqual({ kind: 'same' });
    expect(compareRecord(record(dn), [{ task: 'denoise', sigma: 'auto', tta: true }])).toEqual({ kind: 'changed', reason: 'made with denoise sigma auto; now denoise sigma auto tta' });
    expect(compareRecord(record(dn), [...dn, { task: 'upscale', scale: 2 }])).toMatchObject({ kind: 'changed', reason: expect.stringMatching(/now denoise sigma auto, upscale x2$/) });
    expect(compareRecord(record(dn), [{ task: 'denoise', sigma: 'auto', model: 'denoise-color-real' }])).toMatchObject({ kind: 'changed' });
    const hints = (color: string): TaskStep[] => [{ task: 'colorize', hints: [{ x: 1, y: 2, color }] as never }];
    expect(compareRecord(record(hints('#102030')), hints('#102030'))).toEqual({ kind: 'same' });
    expect(compareRecord(record(hints('#102030')), hints('#302010'))).toMatchObject({ kind: 'changed' });
  });

  it('a file without our record is foreign; an unreadable record means redo', () => {
    expect(compareRecord(undefined, [{ task: 'denoise', sigma: 10 }])).toEqual({ kind: 'foreign' });
    expect(compareRecord({ software: 'other' }, [{ task: 'denoise', sigma: 10 }])).toEqual({ kind: 'foreign' });
    expect(compareRecord({ request: 'not json' }, [{ task: 'denoise', sigma: 10 }])).toMatchObject({ kind: 'changed' });
  });

  it('records of earlier versions are compared through their resolved steps', () => {
    const old = (steps: unknown[]): Record<string, string> => ({ software: 'restore-studio', steps: JSON.stringify(steps) });
    const dn10 = old([{ task: 'denoise', model: 'denoise-color', settings: { sigma: 10, sigmaMode: 'manual' } }]);
    expect(compareRecord(dn10, [{ task: 'denoise', sigma: 10 }])).toEqual({ kind: 'same' });
    expect(compareRecord(dn10, [{ task: 'denoise', sigma: 15 }])).toMatchObject({ kind: 'changed', reason: 'made with denoise sigma 10; now denoise sigma 15' });
    const auto = old([{ task: 'denoise', model: 'denoise-color', settings: { sigma: 17.2, sigmaMode: 'auto' } }, { task: 'upscale', model: 'upscale-x2', settings: { scale: 2, tta: 8 } }]);
    expect(compareRecord(auto, [{ task: 'denoise', sigma: 'auto' }, { task: 'upscale', scale: 2, tta: true }])).toEqual({ kind: 'same' });
    expect(compareRecord(auto, [{ task: 'denoise', sigma: 'auto' }, { task: 'upscale', scale: 2 }])).toMatchObject({ kind: 'changed' });
    expect(compareRecord(auto, [{ task: 'denoise', sigma: 'auto', model: 'denoise-color' }, { task: 'upscale', scale: 2, tta: true }])).toEqual({ kind: 'same' });
    expect(compareRecord(auto, [{ task: 'denoise', sigma: 'auto', model: 'denoise-color-real' }, { task: 'upscale', scale: 2, tta: true }])).toMatchObject({ kind: 'changed' });
  });

  it('describes requests in a few words', () => {
    expect(describeRequest(requestRecord([{ task: 'upscale', scale: 4, tta: true }, { task: 'inpaint', mask: '/m.png' }]))).toBe('upscale x4 tta, inpaint mask /m.png');
  });
});
