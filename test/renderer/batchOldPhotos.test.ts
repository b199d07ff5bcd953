// The Batch view's old-photo logic without a browser: Repair there is always automatic (mask
// 'auto') and needs both an inpaint model and a damage detector; "Restore old photos" switches on
// Repair, grain reduction (old-print when installed) and Colourize for black-and-white files only;
// each row says what Repair found and whether Colourize kept a colour photo, and the run counts them.
import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../electron/api/contract';
import { batchChainProblem, batchRepairMissing, batchSteps, defaultChain, oldPhotosBatchChain } from '../../renderer/src/lib/chain';
import { outcomeSummary, reduceBatch, rowDetail, startBatchView } from '../../renderer/src/lib/batchState';

const model = (task: ModelInfo['task'], id: string = task): ModelInfo => ({ id, name: id, task, parameters: 1, architecture: 'x', scale: 2, source: 'app', file: '/m.onnx', evaluation: [] });
const ALL = [model('inpaint'), model('detect-damage'), model('denoise'), model('colorize')];
const without = (task: ModelInfo['task']): ModelInfo[] => ALL.filter((m) => m.task !== task);

describe('Batch repair (automatic)', () => {
  it('is available only with an inpaint model and a damage detector, and says why not', () => {
    expect(batchRepairMissing(ALL)).toBeNull();
    expect(batchRepairMissing(without('inpaint'))).toBe('No trained model yet');
    expect(batchRepairMissing(without('detect-damage'))).toBe('Needs a damage detector model (none is installed)');
    const chain = defaultChain();
    const repair = { ...chain, inpaint: { ...chain.inpaint, enabled: true } };
    expect(batchChainProblem(repair, ALL)).toBeNull();
    expect(batchChainProblem(repair, without('detect-damage'))).toBe('Repair scratches: needs a damage detector model (none is installed).');
    // Switched off, a missing detector does not matter.
    expect(batchChainProblem(chain, without('detect-damage'))).toBeNull();
  });

  it('sends Repair with the detector mask, whatever the saved autoMask says', () => {
    const chain = defaultChain();
    const repair = { ...chain, inpaint: { ...chain.inpaint, enabled: true, autoMask: false } };
    expect(batchSteps(repair)).toEqual([
      { task: 'inpaint', model: undefined, mask: 'auto' },
      { task: 'denoise', model: undefined, sigma: 'auto' },
    ]);
  });
});

describe('"Restore old photos"', () => {
  it('switches on Repair (auto), grain reduction and Colourize for black-and-white photos only, leaving Enlarge as chosen', () => {
    const chain = defaultChain();
    const start = { ...chain, denoise: { ...chain.denoise, enabled: false, sigma: 30 }, upscale: { ...chain.upscale, enabled: true, scale: 4 as const } };
    const { chain: next, notes } = oldPhotosBatchChain(start, [...ALL, model('upscale')]);
    expect(notes).toEqual(['Repair scratches (found automatically)', 'Reduce noise (strength estimated)', 'Colourize black-and-white photos only']);
    expect(next.upscale).toEqual(start.upscale);
    expect(batchSteps(next)).toEqual([
      { task: 'inpaint', model: undefined, mask: 'auto' },
      { task: 'denoise', model: undefined, sigma: 'auto' },
      { task: 'colorize', model: undefined, saturation: 1, monochromeOnly: true },
      { task: 'upscale', model: undefined, scale: 4 },
    ]);
  });

  it('reduces grain with the old-print model when installed, unless another denoiser was chosen', () => {
    const models = [...ALL, model('denoise', 'old-print')];
    const { chain: next, notes } = oldPhotosBatchChain(defaultChain(), models);
    expect(notes[1]).toBe('Reduce grain (old-print model)');
    expect(batchSteps(next)[1]).toEqual({ task: 'denoise', model: 'old-print', sigma: 'auto' });
    const chosen = defaultChain();
    chosen.denoise.model = 'denoise';
    expect(batchSteps(oldPhotosBatchChain(chosen, models).chain)[1]).toEqual({ task: 'denoise', model: 'denoise', sigma: 'auto' });
  });

  it('leaves off what cannot run, and says so', () => {
    const { chain: next, notes } = oldPhotosBatchChain(defaultChain(), without('detect-damage').filter((m) => m.task !== 'colorize'));
    expect(notes).toEqual(['Repair scratches: needs a damage detector model (none is installed)', 'Reduce noise (strength estimated)']);
    expect(next.inpaint.enabled).toBe(false);
    expect(next.colorize.enabled).toBe(false);
    expect(batchChainProblem(next, without('detect-damage'))).toBeNull();
  });
});

describe('Batch rows: what the steps did', () => {
  it('says the share of damage found, or none, and a colour photo left uncoloured', () => {
    const done = { status: 'done' as const, input: '/a.png', output: '/o/a.png', seconds: 2 };
    expect(rowDetail({ ...done, damagePercent: 0.84 })).toBe('Damage found: 0.84% of the photo, filled · 2.0 s → /o/a.png');
    expect(rowDetail({ ...done, damagePercent: 12.3 })).toBe('Damage found: 12% of the photo, filled · 2.0 s → /o/a.png');
    expect(rowDetail({ ...done, damagePercent: 0, colorizeSkipped: 'colour photo' })).toBe('No damage found · Not colourized: colour photo · 2.0 s → /o/a.png');
    expect(rowDetail(done)).toBe('2.0 s → /o/a.png');
  });

  it('counts the outcomes over the run', () => {
    let view = startBatchView('j', 3);
    expect(outcomeSummary(view)).toBeNull();
    const file = (input: string, extra: object) => ({ type: 'batch-file' as const, jobId: 'j', status: 'done' as const, input, output: `/o${input}`, seconds: 1, ...extra });
    view = reduceBatch(view, file('/a.png', { damagePercent: 1.5 }));
    view = reduceBatch(view, file('/b.png', { damagePercent: 0.2, colorizeSkipped: 'colour photo' }));
    view = reduceBatch(view, file('/c.png', { damagePercent: 0 }));
    view = reduceBatch(view, { type: 'batch-file', jobId: 'j', status: 'failed', input: '/d.png', error: '/d.png: not an image' });
    expect(view.outcomes).toEqual({ damageFound: 2, noDamage: 1, colourKept: 1 });
    expect(outcomeSummary(view)).toBe('Repair: damage found and filled in 2 files, no damage found in 1 file · Colourize: 1 colour photo kept its colours');
    view = reduceBatch(view, { type: 'batch-done', summary: { jobId: 'j', done: 3, skipped: 0, failed: 1, total: 4, seconds: 5, state: 'finished' } });
    expect(view.outcomes).toEqual({ damageFound: 2, noDamage: 1, colourKept: 1 });
  });
});
