// Runs the Restore view's chain: the full-resolution restore (progress, cancel) and the quick
// preview on a downscaled copy that follows colour-point and saturation edits (debounced; a newer
// preview cancels the one still running; a full run cancels any preview). What is shown is kept
// with the exact steps that made it, so exporting a preview first redoes those same steps at full
// resolution (or the latest edits, when their preview has not arrived yet). Stale answers (an
// older preview, a photo since closed) are dropped by a sequence number. A result restored from
// the saved session comes in as `initial` (its steps unknown: a preview is redone from the chain).
import { useEffect, useRef, useState } from 'react';
import type { RestoreResult, Step } from '@api/contract';
import { useApi, useApiEvents } from '../api/ApiContext';
import { PREVIEW_MAX_SIDE } from '../lib/colorPoints';
import { errorMessage } from '../lib/errors';
import { newJobId } from '../lib/format';

export const PREVIEW_DELAY_MS = 400;

/** fraction null = started, no progress reported yet (loading the model, reading the file). */
export interface RunJob {
  id: string;
  fraction: number | null;
  step: number;
  steps: number;
}
export interface Shown {
  result: RestoreResult;
  /** The steps that made it; null for a result brought back from the saved session. */
  steps: Step[] | null;
}

/**
 * `buildSteps` gives the steps for the current chain and points (saving the mask when needed), or
 * null when the chain cannot run; it is read when a run starts, so it may change every render.
 */
export function useRestoreRunner(input: string | null, buildSteps: () => Promise<Step[] | null>, initial: RestoreResult | null = null) {
  const api = useApi();
  const [shown, setShown] = useState<Shown | null>(() => (initial ? { result: initial, steps: null } : null));
  const [job, setJob] = useState<RunJob | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef({ input, buildSteps });
  latest.current = { input, buildSteps };
  const seq = useRef(0);
  const running = useRef<RunJob | null>(null);
  const previewJob = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useApiEvents((e) => {
    if (e.type === 'restore-progress' && job && e.jobId === job.id) setJob({ ...job, fraction: e.fraction, step: e.step, steps: e.steps });
  });
  useEffect(() => () => clearTimeout(timer.current), []);

  const stopPreview = (): void => {
    clearTimeout(timer.current);
    const id = previewJob.current;
    previewJob.current = null;
    setPreviewing(false);
    if (id) void api.call('cancel', { jobId: id }).catch(() => undefined);
  };
  const failed = (e: unknown, mine: boolean): void => {
    const message = errorMessage(e);
    if (mine && !/cancel/i.test(message)) setError(message);
  };

  /**
   * Full resolution; `steps` given = exactly these (export of a preview), else those of `build`
   * (a chain just set, not yet rendered: "Restore old photo"), else the current chain's.
   */
  const runFull = async (steps?: Step[], build?: () => Promise<Step[] | null>): Promise<Shown | null> => {
    const path = latest.current.input;
    if (!path || running.current) return null;
    stopPreview();
    const mine = ++seq.current;
    const started: RunJob = { id: newJobId('restore'), fraction: null, step: 0, steps: steps?.length ?? 1 };
    running.current = started;
    setJob(started);
    setError(null);
    try {
      const chosen = steps ?? (await (build ?? latest.current.buildSteps)());
      if (!chosen) return null;
      setJob((j) => (j && j.id === started.id && j.fraction === null ? { ...j, steps: chosen.length } : j));
      const result = await api.call('restore', { jobId: started.id, input: path, steps: chosen });
      if (mine !== seq.current) return null;
      const made = { result, steps: chosen };
      setShown(made);
      return made;
    } catch (e) {
      failed(e, mine === seq.current);
      return null;
    } finally {
      running.current = null;
      setJob(null);
    }
  };

  const runPreview = async (): Promise<void> => {
    const path = latest.current.input;
    stopPreview();
    if (!path || running.current) return;
    const mine = ++seq.current;
    const id = newJobId('preview');
    previewJob.current = id;
    setPreviewing(true);
    try {
      const steps = await latest.current.buildSteps();
      if (!steps || mine !== seq.current) return; // the chain cannot run (its problem is shown), or a newer run began
      const result = await api.call('restore', { jobId: id, input: path, steps, preview: { maxSide: PREVIEW_MAX_SIDE } });
      if (mine === seq.current) setShown({ result, steps });
    } catch (e) {
      failed(e, mine === seq.current);
    } finally {
      if (previewJob.current === id) {
        previewJob.current = null;
        setPreviewing(false);
      }
    }
  };

  return {
    shown,
    result: shown?.result ?? null,
    job,
    error,
    setError,
    run: (build?: () => Promise<Step[] | null>) => runFull(undefined, build),
    /** true from an edit until its preview is shown (waiting out the delay, then running). */
    previewing,
    /** A preview PREVIEW_DELAY_MS after the last call (edits in a burst make one preview). */
    schedulePreview(): void {
      clearTimeout(timer.current);
      setPreviewing(true);
      timer.current = setTimeout(() => void runPreview(), PREVIEW_DELAY_MS);
    },
    cancel(): void {
      if (running.current) void api.call('cancel', { jobId: running.current.id });
    },
    /**
     * The result to export: the one shown, or for a preview its steps redone at full resolution.
     * While a preview of newer edits is on its way, or `newer` (a region preview of newer settings
     * is shown or coming: never exported), the current chain and points at full resolution.
     */
    async forExport(newer = false): Promise<RestoreResult | null> {
      if (newer || previewing) return (await runFull())?.result ?? null;
      if (!shown) return null;
      if (!shown.result.preview) return shown.result;
      if (!shown.steps) return (await runFull())?.result ?? null;
      return (await runFull(shown.steps))?.result ?? null;
    },
    /** Another photo: drop results, pending and running previews. */
    reset(): void {
      stopPreview();
      seq.current++;
      setShown(null);
      setError(null);
    },
  };
}
