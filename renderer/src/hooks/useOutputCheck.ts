// The Batch view's output check before Start (lib/batchOutput): which inputs are folders is asked
// of the API once per path (listDir answers for a folder, refuses a file), then the message (or
// null) follows every change of inputs, output folder and format.
import { useEffect, useState } from 'react';
import type { ExportOptions } from '@api/contract';
import { useApi } from '../api/ApiContext';
import { outputOverInput } from '../lib/batchOutput';

export function useOutputCheck(inputs: readonly string[], output: string, format: ExportOptions['format']): string | null {
  const api = useApi();
  const [folders, setFolders] = useState<ReadonlyMap<string, boolean>>(new Map());
  useEffect(() => {
    const unknown = inputs.filter((p) => !folders.has(p));
    if (unknown.length === 0) return;
    let live = true;
    void Promise.all(unknown.map((p) => api.call('listDir', { path: p }).then(() => true, () => false))).then((kinds) => {
      if (live) setFolders((m) => new Map([...m, ...unknown.map((p, i) => [p, kinds[i]!] as const)]));
    });
    return () => {
      live = false;
    };
  }, [api, inputs, folders]);
  if (!inputs.every((p) => folders.has(p))) return null; // asked; the answer follows
  return outputOverInput(inputs.map((p) => ({ path: p, folder: folders.get(p)! })), output, format);
}
