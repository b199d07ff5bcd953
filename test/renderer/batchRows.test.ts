// What the Batch view's list says under a finished file (lib/batchState rowDetail): why it was
// skipped (same steps, or an output we did not make), why it was redone, or its error; and what
// the saved session keeps of a long run (failures first, bounded).
import { describe, expect, it } from 'vitest';
import { SESSION_BATCH_ROWS } from '../../electron/api/defaults';
import { reduceBatch, rowDetail, savedBatch, startBatchView } from '../../renderer/src/lib/batchState';

describe('batch rows', () => {
  it('says why a file was skipped or redone', () => {
    expect(rowDetail({ status: 'skipped', input: '/a.png', reason: 'output exists', record: 'same' })).toBe('Skipped: already restored with these steps');
    expect(rowDetail({ status: 'skipped', input: '/a.png', reason: 'output exists', record: 'foreign' })).toMatch(/Restore Studio did not make \(kept as it is\)/);
    expect(rowDetail({ status: 'skipped', input: '/a.png', reason: 'output exists' })).toBe('Skipped: output exists');
    expect(rowDetail({ status: 'done', input: '/a.png', output: '/o/a.png', seconds: 1.25, redone: 'made with denoise sigma 15; now denoise sigma 30' })).toBe('Redone (made with denoise sigma 15; now denoise sigma 30) · 1.3 s → /o/a.png');
    expect(rowDetail({ status: 'failed', input: '/a.png', error: '/a.png: not an image' })).toBe('/a.png: not an image');
  });

  it('keeps the reason from the event, and bounds the saved run with failures first', () => {
    let view = startBatchView('j', 3000);
    view = reduceBatch(view, { type: 'batch-file', jobId: 'j', status: 'skipped', input: '/s.png', output: '/o/s.png', reason: 'output exists', record: 'same' });
    expect(view.rows[0]).toEqual({ status: 'skipped', input: '/s.png', output: '/o/s.png', reason: 'output exists', record: 'same' });
    const rows = Array.from({ length: SESSION_BATCH_ROWS + 10 }, (_, i) => ({ status: i === SESSION_BATCH_ROWS + 5 ? ('failed' as const) : ('done' as const), input: `/${i}.png` }));
    const saved = savedBatch({ ...view, rows });
    expect(saved.rows).toHaveLength(SESSION_BATCH_ROWS);
    expect(saved.rows.some((r) => r.status === 'failed')).toBe(true);
  });
});
