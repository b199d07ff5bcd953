// Fine-tuned models as defaults: the settings' defaultModels map (base id -> the user's model)
// applies to every step that names no model. The engine picks a step's default model itself
// (electron/engine/catalog.ts: the first of the task that fits the scale and the image's
// channels, and for denoising the input's kind: a JPEG gets a model trained on JPEG); this module
// makes the same pick for the request's photo and, when the user chose a
// replacement for that base, names the replacement explicitly. Nothing changes without a map.
import { inputDegradation, pickModel } from '../engine/catalog';
import type { ProcessFileRequest, TaskStep } from '../engine/protocol';
import { jpegQuality } from '../imageio/jpegQuality';
import { probeDetails } from '../imageio/probe';
import { loadModels } from '../../models/registry';

export async function applyDefaultModels(req: ProcessFileRequest, defaults: Readonly<Record<string, string>> | undefined, dirs: readonly string[]): Promise<ProcessFileRequest> {
  if (!defaults || Object.keys(defaults).length === 0) return req;
  if (!req.steps.some((s) => !s.model)) return req;
  const known = (await loadModels(dirs).catch(() => [])).map((m) => ({ entry: m.entry, path: m.path }));
  const details = await probeDetails(req.input).catch(() => undefined);
  let channels = details && details.channels <= 2 ? 1 : 3;
  const format = details?.meta.format ?? '';
  const quality = format === 'jpeg' ? await jpegQuality(req.input) : undefined;
  const degradation = inputDegradation({ format, depth: details?.meta.depth ?? 8, ...(quality !== undefined ? { jpegQuality: quality } : {}) });
  const steps: TaskStep[] = req.steps.map((step) => {
    const current = channels;
    if (step.task === 'colorize') channels = 3;
    if (step.model || (step.task === 'denoise' && step.prefer) || step.task === 'detect-damage') return step;
    let picked;
    try {
      picked = pickModel(step.task, { channels: current, ...(step.task === 'upscale' ? { scale: step.scale } : {}), ...(step.task === 'denoise' && degradation ? { degradation } : {}) }, known);
    } catch {
      return step; // no model: the engine says so
    }
    const replacement = defaults[picked.entry.id];
    const found = replacement ? known.find((m) => m.entry.id === replacement) : undefined;
    if (!found || found.entry.task !== picked.entry.task || found.entry.scale !== picked.entry.scale) return step;
    return { ...step, model: found.entry.id };
  });
  return { ...req, steps };
}
