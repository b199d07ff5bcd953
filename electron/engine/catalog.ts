// Model choice for a task: an explicit --model (manifest id or .onnx file) wins; otherwise the
// first manifest entry of the task that fits the request (upscale factor; among the models trained
// on the input's degradation when the request names one and one of them has the image's channel
// count, e.g. colour JPEG files; then a gray model for gray images when there is one, else a
// colour model). A task without any model
// fails with the plain message the README documents.
import type { Degradation, ManifestEntry, TaskName } from '../../models/manifest';
import type { InputKind, ModelCatalog, ModelQuery, PickedModel } from './tasks/types';

/**
 * The degradation a denoiser should have been trained on for this input, if any. Every JPEG: on
 * colour photos with noise the JPEG-trained model is 2.0-2.7 dB ahead at quality 75, 90, 95 and 98
 * alike (chroma subsampling and the DCT correlate the noise; degraded_check.py --quality).
 */
export function inputDegradation(input: InputKind | undefined): Degradation | undefined {
  return input?.format === 'jpeg' ? 'jpeg' : undefined;
}

/** Why a model trained on `degradation` was picked, in words (file-done `settings.input`, the app). */
export function degradationReason(degradation: Degradation, input: InputKind | undefined): string {
  if (degradation === 'jpeg') return input?.jpegQuality !== undefined ? `JPEG q${input.jpegQuality}` : 'JPEG';
  return degradation;
}

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
  const degradation = query.degradation;
  // exact channels only: on gray JPEGs (sigma 20) the gray model and the colour JPEG model trade places
  // with the quality (q75 -0.45 dB, q90 +0.40), so gray photos keep their gray model
  const trained = degradation ? cands.filter((m) => m.entry.degradations?.includes(degradation) && (query.channels === undefined || imageChannels(m.entry) === query.channels)) : [];
  if (trained.length > 0) return pickModel(task, { ...query, degradation: undefined }, trained);
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
