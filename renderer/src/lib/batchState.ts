// Pure reducer from batch events to what the Batch view shows: counts, ETA, state, and the list
// of finished files (failures kept in full; done/skipped capped so a 10,000-file run stays light),
// each with why it was skipped or redone and what its steps did (rowDetail: damage found, colour
// photo kept), and the run's counts of those (outcomeSummary). savedBatch() is what the session keeps of it.
import type { ApiEvent, BatchFileRow, BatchRun } from '@api/contract';
import { SESSION_BATCH_ROWS } from '@api/defaults';
import { formatPercent } from './format';

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
      const outcomes = countOutcome(view.outcomes, row);
      let rows = [row, ...view.rows];
      const ok = rows.filter((r) => r.status !== 'failed');
      if (ok.length > MAX_OK_ROWS) {
        const drop = new Set(ok.slice(MAX_OK_ROWS));
        rows = rows.filter((r) => !drop.has(r));
      }
      return { ...view, rows, ...(outcomes ? { outcomes } : {}) };
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

type Outcomes = NonNullable<BatchView['outcomes']>;

/** The run's counts with one more finished file: damage found or not, colour photo kept (undefined while no step said). */
function countOutcome(counts: Outcomes | undefined, row: BatchFileRow): Outcomes | undefined {
  if (row.status !== 'done' || (row.damagePercent === undefined && row.colorizeSkipped === undefined)) return counts;
  const c = counts ?? { damageFound: 0, noDamage: 0, colourKept: 0 };
  return {
    damageFound: c.damageFound + (row.damagePercent !== undefined && row.damagePercent > 0 ? 1 : 0),
    noDamage: c.noDamage + (row.damagePercent === 0 ? 1 : 0),
    colourKept: c.colourKept + (row.colorizeSkipped !== undefined ? 1 : 0),
  };
}

/** What Repair did to a file: "Damage found: 0.8% of the photo, filled", or "No damage found" (undefined: no automatic repair). */
export function damageDetail(r: BatchFileRow): string | undefined {
  if (r.damagePercent === undefined) return undefined;
  return r.damagePercent > 0 ? `Damage found: ${formatPercent(r.damagePercent)} of the photo, filled` : 'No damage found';
}

/** The run's outcome in one line ("Repair: damage found and filled in 2 files, none found in 1 · Colourize: 1 colour photo kept its colours"), or null. */
export function outcomeSummary(view: BatchView): string | null {
  const o = view.outcomes;
  if (!o) return null;
  const files = (n: number): string => `${n} file${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  const repair = [o.damageFound > 0 ? `damage found and filled in ${files(o.damageFound)}` : null, o.noDamage > 0 ? `no damage found in ${files(o.noDamage)}` : null].filter(Boolean);
  if (repair.length > 0) parts.push(`Repair: ${repair.join(', ')}`);
  if (o.colourKept > 0) parts.push(`Colourize: ${o.colourKept} colour photo${o.colourKept === 1 ? '' : 's'} kept ${o.colourKept === 1 ? 'its' : 'their'} colours`);
  return parts.length > 0 ? parts.join(' · ') : null;
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
  const colour = r.colorizeSkipped ? `Not colourized: ${r.colorizeSkipped}` : null;
  return [r.redone ? `Redone (${r.redone})` : null, r.note ?? null, damageDetail(r) ?? null, colour, done].filter(Boolean).join(' · ');
}

/** The run as the session keeps it: failures first, then the latest rows, at most SESSION_BATCH_ROWS. */
export function savedBatch(view: BatchView): BatchView {
  if (view.rows.length <= SESSION_BATCH_ROWS) return view;
  const failed = view.rows.filter((r) => r.status === 'failed');
  const rest = view.rows.filter((r) => r.status !== 'failed');
  const keep = new Set([...failed, ...rest].slice(0, SESSION_BATCH_ROWS));
  return { ...view, rows: view.rows.filter((r) => keep.has(r)) };
}
