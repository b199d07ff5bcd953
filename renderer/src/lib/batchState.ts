// Pure reducer from batch events to what the Batch view shows: counts, ETA, state, and the list
// of finished files (failures kept in full; done/skipped capped so a 10,000-file run stays light),
// each with why it was skipped or redone (rowDetail). savedBatch() is what the session keeps of it.
import type { ApiEvent, BatchFileRow, BatchRun } from '@api/contract';
import { SESSION_BATCH_ROWS } from '@api/defaults';

export type { BatchFileRow } from '@api/contract';
/** A run as the Batch view shows it ('interrupted': it was running when the app or server stopped). */
export type BatchView = BatchRun;

const MAX_OK_ROWS = 500;

export function startBatchView(jobId: string, total: number): BatchView {
  return { jobId, state: 'running', done: 0, skipped: 0, failed: 0, total, etaSeconds: null, rows: [] };
}

export function reduceBatch(view: BatchView, event: ApiEvent): BatchView {
  switch (event.type) {
    case 'batch-progress':
      if (event.jobId !== view.jobId) return view;
      return { ...view, done: event.done, skipped: event.skipped, failed: event.failed, total: event.total, etaSeconds: event.etaSeconds, current: event.current };
    case 'batch-file': {
      if (event.jobId !== view.jobId) return view;
      const { type: _type, jobId: _jobId, ...row } = event;
      let rows = [row, ...view.rows];
      const ok = rows.filter((r) => r.status !== 'failed');
      if (ok.length > MAX_OK_ROWS) {
        const drop = new Set(ok.slice(MAX_OK_ROWS));
        rows = rows.filter((r) => !drop.has(r));
      }
      return { ...view, rows };
    }
    case 'batch-state':
      if (event.jobId !== view.jobId || view.state === 'finished' || view.state === 'cancelled') return view;
      return { ...view, state: event.state };
    case 'batch-done': {
      const s = event.summary;
      if (s.jobId !== view.jobId) return view;
      return { ...view, state: s.state, done: s.done, skipped: s.skipped, failed: s.failed, total: s.total, seconds: s.seconds, etaSeconds: 0, current: undefined };
    }
    default:
      return view;
  }
}

/** The line under a finished file: its output and time, why it was skipped or redone, or its error. */
export function rowDetail(r: BatchFileRow): string {
  if (r.status === 'failed') return r.error ?? 'failed';
  if (r.status === 'skipped') {
    if (r.record === 'same') return 'Skipped: already restored with these steps';
    if (r.record === 'foreign') return 'Skipped: an output file of that name exists that Restore Studio did not make (kept as it is)';
    return `Skipped: ${r.reason ?? 'output exists'}`;
  }
  const done = `${r.seconds?.toFixed(1) ?? '?'} s → ${r.output ?? ''}`;
  return [r.redone ? `Redone (${r.redone})` : null, r.note ?? null, done].filter(Boolean).join(' · ');
}

/** The run as the session keeps it: failures first, then the latest rows, at most SESSION_BATCH_ROWS. */
export function savedBatch(view: BatchView): BatchView {
  if (view.rows.length <= SESSION_BATCH_ROWS) return view;
  const failed = view.rows.filter((r) => r.status === 'failed');
  const rest = view.rows.filter((r) => r.status !== 'failed');
  const keep = new Set([...failed, ...rest].slice(0, SESSION_BATCH_ROWS));
  return { ...view, rows: view.rows.filter((r) => keep.has(r)) };
}
