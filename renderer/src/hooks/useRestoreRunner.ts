// Runs the Restore view's chain: the full-resolution restore (progress, cancel) and the quick
// preview on a downscaled copy that follows colour-point and saturation edits (debounced; a newer
// preview cancels the one still running; a full run cancels any preview). What is shown is kept
// with the exact steps that made it, so exporting a preview first redoes those same steps at full
// resolution (or the latest edits, when their preview has not arrived yet). Stale answers (an
// older preview, a photo since closed) are dropped by a sequence number. A result restored from
// the saved session comes in as `initial` (its steps unknown: a preview is redone from the chain).
// A full restore still running on the server when the page reloaded comes in as `resumed`: it is
// re-attached (progress, Cancel, its result when a restore-finished event or a poll says it ended);
// one that finished meanwhile shows its result at once; another photo's, a failed or a forgotten
// one is told through `onNotice`. Only full restores are re-attached (a preview is simply redone).
import { useEffect, useRef, useState } from 'react';
import type { RestoreJobInfo, RestoreResult, Step } from '@api/contract';
import { useApi, useApiEvents } from '../api/ApiContext';
import { PREVIEW_MAX_SIDE } from '../lib/colorPoints';
import { errorMessage } from '../lib/errors';
import { newJobId } from '../lib/format';

export const PREVIEW_DELAY_MS = 400;
/** While re-attached to a job, its state is also asked for this often (an event may be missed while the page connects). */
export const RESUME_POLL_MS = 2000;

/** The full restore the saved session was waiting for, and what the server knows of it (null: nothing). */
export interface ResumedJob {
  jobId: string;
  info: RestoreJobInfo | null;
}

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
export function useRestoreRunner(
  input: string | null,
  buildSteps: () => Promise<Step[] | null>,
  initial: RestoreResult | null = null,
  resumed: ResumedJob | null = null,
  onNotice: (message: string) => void = () => undefined,
) {
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
  /** An edit's preview is waiting out the delay (an older preview that finishes meanwhile is not the latest). */
  const waiting = useRef(false);

  /** The re-attached job (one this page did not start), until it ends. */
  const attached = useRef<string | null>(null);

  /** A re-attached job ended: its result shown, or its error. */
  const settle = (info: RestoreJobInfo): void => {
    if (attached.current !== info.jobId) return;
    attached.current = null;
    running.current = null;
    setJob(null);
    if (info.state === 'done' && info.result) setShown({ result: info.result, steps: null });
    else if (info.state === 'failed') setError(info.error ?? 'The restore failed.');
  };

  useApiEvents((e) => {
    if (e.type === 'restore-progress' && job && e.jobId === job.id) setJob({ ...job, fraction: e.fraction, step: e.step, steps: e.steps });
    if (e.type === 'restore-finished') settle(e.job);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => {
    if (!resumed) return;
    const { jobId, info } = resumed;
    if (!info) {
      onNotice('The restore that was running when the page closed was not finished (the server was restarted): Restore again.');
      return;
    }
    if (info.input !== input) {
      if (info.state === 'running' || info.state === 'done') onNotice(`A restore of another photo (${baseName(info.input)}) ${info.state === 'running' ? 'is still running' : 'finished'}: open that photo and Restore again to see it.`);
      return;
    }
    if (info.state === 'done' && info.result) {
      const result = info.result;
      setShown((s) => (s?.result.image.path === result.image.path ? s : { result, steps: null }));
    } else if (info.state === 'failed') {
      onNotice(`The restore that was running failed: ${info.error ?? 'no reason given'}`);
    } else if (info.state === 'running') {
      const again: RunJob = { id: jobId, fraction: info.fraction, step: info.step, steps: info.steps };
      running.current = again;
      attached.current = jobId;
      setJob(again);
      const poll = (): void => {
        if (attached.current !== jobId) return;
        void api
          .call('getRestoreJob', { jobId })
          .then((now) => {
            if (!now) settle({ ...info, state: 'failed', error: 'The restore was lost (the server was restarted): Restore again.' });
            else if (now.state !== 'running') settle(now);
            else pollTimer = setTimeout(poll, RESUME_POLL_MS);
          })
          .catch(() => {
            pollTimer = setTimeout(poll, RESUME_POLL_MS);
          });
      };
      let pollTimer = setTimeout(poll, 0);
      return () => clearTimeout(pollTimer);
    }
    return undefined;
    // Once, for the session the page started with.
  }, []);

  const stopPreview = (): void => {
    clearTimeout(timer.current);
    waiting.current = false;
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
        // Still "updating" when newer edits wait for their preview: the shown result is not theirs
        // (and an export then redoes the latest edits, not what is shown).
        if (!waiting.current) setPreviewing(false);
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
      waiting.current = true;
      setPreviewing(true);
      timer.current = setTimeout(() => {
        waiting.current = false;
        void runPreview();
      }, PREVIEW_DELAY_MS);
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
    /** Another photo: drop results, pending and running previews (and stop following a re-attached job). */
    reset(): void {
      stopPreview();
      if (attached.current) {
        attached.current = null;
        running.current = null;
        setJob(null);
      }
      seq.current++;
      setShown(null);
      setError(null);
    },
  };
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
