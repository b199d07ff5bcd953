// What a new user tripped over in the app (issue 16), the logic behind each fix: a restore that
// changed nothing is not "Restored" and the estimated strength is shown (lib/resultSummary); a
// batch output that would replace its input is said before Start, in the app's words
// (lib/batchOutput); whole-number settings refuse -3 (lib/wholeNumber); an export keeps a 16-bit
// scan's depth and remembers the last choice (lib/exportMemory).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RestoreResult } from '../../electron/api/contract';
import { summarizeResult } from '../../renderer/src/lib/resultSummary';
import { outputOverInput } from '../../renderer/src/lib/batchOutput';
import { wholeNumberError } from '../../renderer/src/lib/wholeNumber';
import { defaultDepth, loadExportChoice, saveExportChoice } from '../../renderer/src/lib/exportMemory';

const result = (steps: RestoreResult['steps'], seconds = 5.7): RestoreResult => ({
  jobId: 'j',
  image: { path: '/w/r.png', name: 'r.png', width: 10, height: 10, format: 'png', depth: 8, channels: 3, bytes: 1, url: '' },
  provider: 'cpu',
  seconds,
  steps,
  preview: false,
});

describe('result summary', () => {
  it('an automatic strength of 0 is "Nothing changed: no noise found", not "Restored"', () => {
    const s = summarizeResult(result([{ task: 'denoise', model: 'denoise-color', settings: { sigma: 0, sigmaMode: 'auto' } }]));
    expect(s.changed).toBe(false);
    expect(s.label).toBe('Nothing changed: no noise found (σ 0)');
    expect(s.notes).toEqual(['Noise strength σ 0.0, estimated from the photo']);
  });
  it('shows the estimated strength of a real restore', () => {
    const s = summarizeResult(result([{ task: 'denoise', model: 'denoise-color', settings: { sigma: 12.34, sigmaMode: 'auto' } }]));
    expect(s).toEqual({ changed: true, label: 'Restored in 5.7 s', notes: ['Noise strength σ 12.3, estimated from the photo'] });
  });
  it('a chain with one step that changes the photo is restored; a fill of nothing with no noise is not', () => {
    expect(summarizeResult(result([{ task: 'denoise', model: 'd', settings: { sigma: 0, sigmaMode: 'manual' } }, { task: 'upscale', model: 'u', settings: {} }])).changed).toBe(true);
    expect(summarizeResult(result([{ task: 'inpaint', model: 'i', settings: { maskPercent: 0, mask: 'auto' } }, { task: 'denoise', model: 'd', settings: { sigma: 0.2, sigmaMode: 'auto' } }])).label).toBe(
      'Nothing changed: no noise or damage found',
    );
    // A fixed-level model (old-print) always works at its own strength.
    const fixed = summarizeResult(result([{ task: 'denoise', model: 'old-print', settings: { sigma: 0, sigmaMode: 'fixed' } }]), (id) => (id === 'old-print' ? 'Old-print restorer' : id));
    expect([fixed.changed, fixed.notes]).toEqual([true, ['Grain reduced by Old-print restorer, at its own fixed strength']]);
  });
});

describe('batch output over its input, before Start', () => {
  it('one folder mirrored into itself with the same format', () => {
    expect(outputOverInput([{ path: '/p/photos', folder: true }], '/p/photos/', 'same')).toMatch(/^The output folder holds the photos of photos: restored files would replace the originals/);
    expect(outputOverInput([{ path: '/p/photos', folder: true }], '/p/photos/restored', 'same')).toBeNull();
    expect(outputOverInput([{ path: '/p/photos', folder: true }], '/p/photos', 'png')).toBeNull(); // other formats: the planner decides per file
  });
  it('several inputs land in output/<name>', () => {
    const inputs = [{ path: '/p/a', folder: true }, { path: '/p/b/x.jpg', folder: false }];
    expect(outputOverInput(inputs, '/p', 'same')).toMatch(/photos of a/);
    expect(outputOverInput(inputs, '/p/b', 'same')).toBe('The restored x.jpg would replace the original: choose another output folder, or another format.');
    expect(outputOverInput(inputs, '/p/b', 'jpg')).toMatch(/x\.jpg would replace/);
    expect(outputOverInput(inputs, '/p/b', 'png')).toBeNull();
  });
  it('never speaks of -o or --format', () => {
    expect(outputOverInput([{ path: '/p/x.png', folder: false }], '/p', 'same')).not.toMatch(/-o\b|--format/);
  });
});

describe('whole-number settings', () => {
  it('refuses -3, 2.5, empty and over the maximum; takes 0 and 8', () => {
    for (const bad of ['-3', '2.5', '', ' ', '257', 'abc', '1e3']) expect(wholeNumberError(bad, 256), bad).toBe('Enter a whole number from 0 to 256');
    for (const good of ['0', '8', '256', ' 4 ']) expect(wholeNumberError(good, 256), good).toBeNull();
  });
});

describe('export choices', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('keeps a 16-bit scan in 16 bits where the format can hold it', () => {
    expect(defaultDepth(16, 'tif')).toBe(16);
    expect(defaultDepth(16, 'png')).toBe(16);
    expect(defaultDepth(16, 'jpg')).toBe(8);
    expect(defaultDepth(8, 'png')).toBe(8);
    expect(defaultDepth(8, 'png', 16)).toBe(16);
  });
  it('remembers the last format, quality, metadata switch and folder; ignores bad stored values', () => {
    const store = new Map<string, string>();
    vi.stubGlobal('localStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v) });
    const defaults = { format: 'same' as const, quality: 92, keepMetadata: true };
    expect(loadExportChoice(defaults)).toEqual({ format: 'png', quality: 92, keepMetadata: true });
    saveExportChoice({ format: 'tif', quality: 80, keepMetadata: false, folder: '/p/out' });
    expect(loadExportChoice(defaults)).toEqual({ format: 'tif', quality: 80, keepMetadata: false, folder: '/p/out' });
    store.set('restore.export', JSON.stringify({ format: 'bmp', quality: -5, keepMetadata: 'yes', folder: 7 }));
    expect(loadExportChoice(defaults)).toEqual({ format: 'png', quality: 92, keepMetadata: true });
    store.set('restore.export', '{not json');
    expect(loadExportChoice(defaults)).toEqual({ format: 'png', quality: 92, keepMetadata: true });
  });
});
