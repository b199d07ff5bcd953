// The 1:1 preview of the visible area (issue 16): after a settings change, while the viewer is
// zoomed in on part of the photo (lib/regionPreview worthRegionPreview), the chain runs on just
// that part at full resolution (restore with `region`; the engine adds and crops a context margin)
// and the result is drawn at its place over the "after" side. Debounced; a newer edit cancels the
// run still going; zoom and pan keep what is shown; the caller clears it when a full Restore
// arrives or the photo changes. A chain with Colourize gets none and says why (`note`).
import { useEffect, useRef, useState } from 'react';
import type { RestoreResult, Step } from '@api/contract';
import { useApi } from '../api/ApiContext';
import { errorMessage } from '../lib/errors';
import { newJobId } from '../lib/format';
import { REGION_PREVIEW_DELAY_MS, regionPreviewBlocker, worthRegionPreview, type PhotoRect } from '../lib/regionPreview';

export interface RegionShown {
  result: RestoreResult & { region: PhotoRect };
  steps: Step[];
}

export function useRegionPreview(input: string | null, photo: { width: number; height: number } | null, buildSteps: () => Promise<Step[] | null>) {
  const api = useApi();
  const [shown, setShown] = useState<RegionShown | null>(null);
  const [pending, setPending] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef({ input, photo, buildSteps });
  latest.current = { input, photo, buildSteps };
  const seq = useRef(0);
  const jobId = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  /** Stops the wait and the run in flight; what is shown stays. */
  const stop = (): void => {
    clearTimeout(timer.current);
    seq.current++;
    const id = jobId.current;
    jobId.current = null;
    setPending(false);
    if (id) void api.call('cancel', { jobId: id }).catch(() => undefined);
  };

  const runNow = async (rectOf: () => PhotoRect | null): Promise<void> => {
    const mine = ++seq.current;
    const { input: path, photo: size } = latest.current;
    const rect = rectOf();
    if (!path || !size || !worthRegionPreview(rect, size)) {
      // Zoomed out: the shown part would be stale, and the whole photo is the preview to run.
      setShown(null);
      setPending(false);
      return;
    }
    const steps = await latest.current.buildSteps();
    if (mine !== seq.current) return;
    const blocker = steps ? regionPreviewBlocker(steps) : null;
    if (!steps || blocker) {
      setNote(blocker);
      setShown(null);
      setPending(false);
      return;
    }
    const id = newJobId('region');
    jobId.current = id;
    try {
      const result = await api.call('restore', { jobId: id, input: path, steps, region: rect });
      if (mine === seq.current && result.region) setShown({ result: { ...result, region: result.region }, steps });
    } catch (e) {
      const message = errorMessage(e);
      if (mine === seq.current && !/cancel/i.test(message)) setError(message);
    } finally {
      if (jobId.current === id) {
        jobId.current = null;
        setPending(false);
      }
    }
  };

  return {
    shown,
    /** From an edit until its region preview is shown or dropped. */
    pending,
    /** Why the chain gets no region preview (Colourize), or null. */
    note,
    error,
    dismissError: () => setError(null),
    /** After a settings change: restore the visible part `REGION_PREVIEW_DELAY_MS` after the last call. */
    schedule(rectOf: () => PhotoRect | null): void {
      stop();
      setNote(null);
      setError(null);
      setPending(true);
      timer.current = setTimeout(() => void runNow(rectOf), REGION_PREVIEW_DELAY_MS);
    },
    /** Stop waiting or running (a full Restore starts); what is shown stays until `clear`. */
    stop,
    /** Drop it: a full Restore arrived, another photo, colour edits. */
    clear(): void {
      stop();
      setShown(null);
      setNote(null);
      setError(null);
    },
  };
}
