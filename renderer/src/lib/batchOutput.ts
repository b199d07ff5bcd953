// The Batch view's check before Start: would an output land on its own input? The same mapping
// as the planner (electron/batch/plan.ts, app batches: the output is always a folder): one
// folder argument is mirrored into the output folder; with several arguments each file goes to
// output/<name> and each folder to output/<folder name>/... With the format "Same as input" an
// output then is its input when the output folder is the input's own folder. Links and other
// formats are left to the planner at Start (it refuses them in the same words).
import type { ExportOptions } from '@api/contract';
import { overwritesInputMessage } from '@api/outputWording';

export interface BatchInput {
  path: string;
  folder: boolean;
}

const trim = (p: string): string => (p.length > 1 ? p.replace(/[\\/]+$/, '') : p);
const parentOf = (p: string): string => {
  const t = trim(p);
  const i = Math.max(t.lastIndexOf('/'), t.lastIndexOf('\\'));
  return i > 0 ? t.slice(0, i) : t.slice(0, i + 1) || t;
};
const extOf = (p: string): string => {
  const m = /\.([^.\\/]+)$/.exec(p);
  const e = m?.[1]?.toLowerCase() ?? '';
  return e === 'jpeg' ? 'jpg' : e === 'tiff' ? 'tif' : e;
};

/** The message to show when an output would replace its input, else null. */
export function outputOverInput(inputs: readonly BatchInput[], output: string, format: ExportOptions['format']): string | null {
  if (!output) return null;
  const out = trim(output);
  for (const input of inputs) {
    if (input.folder) {
      // One folder: its tree is mirrored into the output; several: into output/<folder name>.
      const lands = inputs.length === 1 ? trim(input.path) : parentOf(input.path);
      if (lands === out && format === 'same') return overwritesInputMessage(input.path, true);
    } else if (parentOf(input.path) === out && (format === 'same' || extOf(input.path) === format)) {
      return overwritesInputMessage(input.path);
    }
  }
  return null;
}
