// "Find damage" in the Repair step: runs the damage detector on the open photo (detectDamage: the
// engine's detect-damage step) with progress and cancel, and hands the mask over as a raster stroke
// for the mask layer, where the brush and eraser edit it before anything is filled. Says how much
// of the photo was marked, that nothing was found, or why it could not run (no detector model).
// A newer search or another photo drops an older answer (sequence number).
import { useRef, useState } from 'react';
import type { ImageInfo } from '@api/contract';
import { useApi, useApiEvents } from '../api/ApiContext';
import { damageStroke } from '../lib/damageMask';
import { errorMessage } from '../lib/errors';
import { formatPercent, newJobId } from '../lib/format';
import type { Stroke } from '../lib/strokes';

export interface DamageJob {
  id: string;
  /** null = started, no progress yet (the engine loading the model, reading the photo). */
  fraction: number | null;
}
export interface DamageNote {
  severity: 'success' | 'info' | 'warning' | 'error';
  text: string;
}

export function useDamageFinder() {
  const api = useApi();
  const [job, setJob] = useState<DamageJob | null>(null);
  const [note, setNote] = useState<DamageNote | null>(null);
  const seq = useRef(0);
  const running = useRef<string | null>(null);

  useApiEvents((e) => {
    if (e.type === 'restore-progress' && job && e.jobId === job.id) setJob({ ...job, fraction: e.fraction });
  });

  const stop = (): void => {
    const id = running.current;
    running.current = null;
    if (id) void api.call('cancel', { jobId: id }).catch(() => undefined);
  };

  return {
    job,
    note,
    dismiss: () => setNote(null),
    /**
     * Finds the damage on `photo` at `threshold` (undefined: the detector's own; `canFindMore`: a
     * higher sensitivity is left to suggest); `onFound` gets the mask as a stroke when something was marked.
     */
    async find(photo: ImageInfo, { threshold, canFindMore }: { threshold?: number; canFindMore: boolean }, onFound: (stroke: Stroke) => void): Promise<void> {
      stop();
      const mine = ++seq.current;
      const id = newJobId('damage');
      running.current = id;
      setJob({ id, fraction: null });
      setNote(null);
      try {
        const found = await api.call('detectDamage', { jobId: id, path: photo.path, ...(threshold !== undefined ? { threshold } : {}) });
        if (mine !== seq.current) return;
        if (found.markedPercent <= 0) {
          setNote({ severity: 'info', text: `No damage found. ${canFindMore ? 'Try a higher sensitivity, or paint' : 'Paint'} over any you see with the mask brush (B).` });
          return;
        }
        const stroke = await damageStroke(found.pngBase64, photo.width, photo.height, found.markedPercent);
        if (mine !== seq.current) return;
        onFound(stroke);
        setNote({ severity: 'success', text: `${formatPercent(found.markedPercent)} of the photo marked. Check it with the brush (B) and eraser (E), then Restore.` });
      } catch (e) {
        if (mine !== seq.current) return;
        const message = errorMessage(e);
        if (/cancel/i.test(message)) return;
        // ApiError from the bridge client, Error with a code from the preload.
        setNote({ severity: (e as { code?: unknown }).code === 'unavailable' ? 'warning' : 'error', text: message });
      } finally {
        if (mine === seq.current) {
          running.current = null;
          setJob(null);
        }
      }
    },
    cancel: stop,
    /** Another photo: forget the note, stop a search in flight. */
    reset(): void {
      stop();
      seq.current++;
      setJob(null);
      setNote(null);
    },
  };
}
