// Whether the open photo is a flatbed scan of several prints: findPrints runs once per photo (on a
// small copy, quick), and the Restore view offers to split the scan when it holds two or more.
// A failure only means no offer: the photo itself opened fine.
import { useEffect, useState } from 'react';
import { useApi } from '../api/ApiContext';

/** How many prints the scan at `path` holds when two or more, else null. */
export function useScanPrints(path: string | null): number | null {
  const api = useApi();
  const [found, setFound] = useState<{ path: string; count: number } | null>(null);
  useEffect(() => {
    if (!path) return;
    let live = true;
    api.call('findPrints', { path }).then(
      (r) => live && setFound({ path, count: r.prints.length }),
      () => live && setFound({ path, count: 0 }),
    );
    return () => {
      live = false;
    };
  }, [api, path]);
  return found && found.path === path && found.count >= 2 ? found.count : null;
}
