// Whether the open photo is a flatbed scan of several prints: findPrints runs once per photo (on a
// small copy, quick); the Restore view offers to split a scan holding two or more, and the split
// dialog shows these prints (it does not search again).
import { useEffect, useState } from 'react';
import type { ScanPrints } from '@api/contract';
import { useApi } from '../api/ApiContext';
import { errorMessage } from '../lib/errors';

export interface ScanPrintsState {
  /** The prints found on the photo at `path`; null while the search runs or when it failed. */
  found: ScanPrints | null;
  error: string | null;
}

export function useScanPrints(path: string | null): ScanPrintsState {
  const api = useApi();
  const [state, setState] = useState<ScanPrintsState & { path: string | null }>({ path: null, found: null, error: null });
  useEffect(() => {
    if (!path) return;
    let live = true;
    api.call('findPrints', { path }).then(
      (found) => live && setState({ path, found, error: null }),
      (e: unknown) => live && setState({ path, found: null, error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [api, path]);
  return state.path === path ? { found: state.found, error: state.error } : { found: null, error: null };
}
