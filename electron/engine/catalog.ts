// Model choice for a task: an explicit --model (manifest id or .onnx file) wins; otherwise the
// first manifest entry of the task that fits the request (upscale factor, then a gray model for
// gray images when there is one, else a colour model). A task without any model fails with the
// plain message the README documents.
import type { ManifestEntry, TaskName } from '../../models/manifest';
import type { ModelCatalog, ModelQuery, PickedModel } from './tasks/types';

export function noModelMessage(task: TaskName, query: ModelQuery = {}): string {
  const what = task === 'upscale' && query.scale ? `upscale x${query.scale}` : task;
  return `no trained model for ${what} yet; see README (Models)`;
}

function imageChannels(e: ManifestEntry): number | undefined {
  return e.inputs.find((i) => i.role === 'image' || i.role === 'luma')?.channels;
}

/** Picks among known entries; `resolveExplicit` handles --model values (ids or files). */
export function pickModel(task: TaskName, query: ModelQuery, known: PickedModel[]): PickedModel {
  let cands = known.filter((m) => m.entry.task === task);
  if (query.scale !== undefined) cands = cands.filter((m) => m.entry.scale === query.scale);
  if (cands.length === 0) throw new Error(noModelMessage(task, query));
  if (query.channels !== undefined) {
    const exact = cands.find((m) => imageChannels(m.entry) === query.channels);
    if (exact) return exact;
    const colour = cands.find((m) => imageChannels(m.entry) === 3);
    if (colour) return colour;
  }
  return cands[0]!;
}

export type ResolveExplicit = (idOrFile: string, task: TaskName) => Promise<PickedModel>;

export function createCatalog(known: PickedModel[], resolveExplicit: ResolveExplicit): ModelCatalog {
  return {
    async pick(task, query) {
      if (query.model) {
        const m = await resolveExplicit(query.model, task);
        if (m.entry.task !== task) throw new Error(`${query.model}: is a ${m.entry.task} model, not a ${task} model`);
        return m;
      }
      return pickModel(task, query, known);
    },
  };
}
