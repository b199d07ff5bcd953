// Pure reducer from batch events to what the Batch view shows: counts, ETA, state, and the list
// of finished files (failures kept in full; done/skipped capped so a 10,000-file run stays light).
import type { ApiEvent } from '@api/contract';

export interface BatchFileRow {
  status: 'done' | 'skipped' | 'failed';
  input: string;
  output?: string;
  error?: string;
  seconds?: number;
}

export interface BatchView {
  jobId: string;
  state: 'running' | 'pausing' | 'paused' | 'finished' | 'cancelled';
  done: number;
  skipped: number;
  failed: number;
  total: number;
  etaSeconds: number | null;
  current?: string;
  seconds?: number;
  rows: BatchFileRow[];
}

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
      const row: BatchFileRow = { status: event.status, input: event.input, output: event.output, error: event.error, seconds: event.seconds };
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
