// The saved session (issue 16 item 4): loaded once when the app starts (getSession), handed to the
// Restore and Batch views as their starting state, and saved again (saveSession, shortly after the
// last change) whenever a view reports its part. The painted mask travels only when it changed
// (its version moved): it is rendered to PNG at save time, not on every stroke. A session that
// cannot be loaded starts the app empty, with a notice saying why. The Restore view's part names the
// full restore running (its job id), so a reloaded page re-attaches to it (restoreJob, useRestoreRunner).
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { RestoredSession, SessionState } from '@api/contract';
import { useApi } from '../api/ApiContext';
import { errorMessage } from '../lib/errors';

export const SESSION_SAVE_DELAY_MS = 300;

/** The mask as the Restore view reports it: a version that moves with every edit, and its PNG (null: none). */
export interface MaskReport {
  version: number;
  png(): Promise<string | null>;
}

interface SessionApi {
  /** What came back when the app started (empty when nothing was saved). */
  restored: RestoredSession;
  /** Notices of what could not be restored (or saved); the app shows them until dismissed. */
  notices: string[];
  dismissNotices(): void;
  reportRestore(part: SessionState['restore'], mask: MaskReport): void;
  reportBatch(part: SessionState['batch']): void;
}

const SessionContext = createContext<SessionApi | null>(null);

export function useSession(): SessionApi {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside <SessionProvider>');
  return s;
}

const EMPTY: RestoredSession = { state: null, photo: null, result: null, mask: null, notices: [], runningBatches: [] };

/** Loads the session, then renders `children` (and `loading` until then). */
export function SessionProvider({ children, loading }: { children: ReactNode; loading: ReactNode }) {
  const api = useApi();
  const [restored, setRestored] = useState<RestoredSession | null>(null);
  const [notices, setNotices] = useState<string[]>([]);
  const parts = useRef<{ restore: SessionState['restore'] | null; batch: SessionState['batch'] | null; mask: MaskReport | null }>({ restore: null, batch: null, mask: null });
  const savedMask = useRef<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const saving = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    let live = true;
    api
      .call('getSession', {})
      .then((r) => {
        if (!live) return;
        setRestored(r);
        setNotices(r.notices);
      })
      .catch((e: unknown) => {
        if (!live) return;
        setRestored(EMPTY);
        setNotices([`Your last session could not be loaded (${errorMessage(e)}); starting with an empty one.`]);
      });
    return () => {
      live = false;
    };
  }, [api]);

  const save = useCallback((): void => {
    clearTimeout(timer.current);
    const { restore, batch, mask } = parts.current;
    if (!restore || !batch) return; // both views report on mount; until then there is nothing whole to save
    saving.current = saving.current.then(async () => {
      try {
        const maskChanged = mask !== null && mask.version !== savedMask.current;
        const png = maskChanged ? await mask.png() : undefined;
        await api.call('saveSession', { state: { version: 1, restore, batch }, ...(png !== undefined ? { mask: png } : {}) });
        if (maskChanged) savedMask.current = mask.version;
      } catch (e) {
        setNotices((n) => [...n.filter((x) => !x.startsWith('Your work could not be saved')), `Your work could not be saved for the next start: ${errorMessage(e)}`]);
      }
    });
  }, [api]);
  const schedule = useCallback((): void => {
    clearTimeout(timer.current);
    timer.current = setTimeout(save, SESSION_SAVE_DELAY_MS);
  }, [save]);
  useEffect(() => {
    // Leaving the page: save what is pending at once (best effort; the request may be cut short).
    const flush = (): void => {
      if (timer.current !== undefined) save();
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      clearTimeout(timer.current);
    };
  }, [save]);

  const reportRestore = useCallback(
    (part: SessionState['restore'], mask: MaskReport): void => {
      if (savedMask.current === null && parts.current.mask === null) savedMask.current = mask.version; // the restored mask is on disk already
      parts.current = { ...parts.current, restore: part, mask };
      schedule();
    },
    [schedule],
  );
  const reportBatch = useCallback(
    (part: SessionState['batch']): void => {
      parts.current = { ...parts.current, batch: part };
      schedule();
    },
    [schedule],
  );
  const dismissNotices = useCallback(() => setNotices([]), []);

  if (!restored) return <>{loading}</>;
  return <SessionContext.Provider value={{ restored, notices, dismissNotices, reportRestore, reportBatch }}>{children}</SessionContext.Provider>;
}
