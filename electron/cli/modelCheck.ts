// Before the engine starts: checks that every step of a command has a model (the one named by
// --model, or an installed model for the task, of the right scale for upscale), so that "no
// trained model yet" is one plain message (exit 1) rather than one failure per file, and a
// --model that is unknown, of another task or another scale is a usage error (exit 2).
import { noModelMessage } from '../engine/catalog';
import type { TaskStep } from '../engine/protocol';
import { loadModels, ModelError, modelsForTask, resolveModel } from '../../models/registry';
import { UsageError } from './args';

/** No model is installed for a task, or the manifests cannot be read (exit code 1). */
export class NoModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoModelError';
  }
}

/** `dirs`: every model folder, in override order (paths.ts modelFolders). */
export async function checkModels(steps: TaskStep[], dirs: string[]): Promise<void> {
  let models;
  try {
    models = await loadModels(dirs);
  } catch (e) {
    if (e instanceof ModelError) throw new NoModelError(e.message);
    throw e;
  }
  for (const step of steps) {
    const scale = step.task === 'upscale' ? step.scale : undefined;
    if (step.model) {
      let found;
      try {
        found = await resolveModel(step.model, step.task, dirs);
      } catch (e) {
        if (e instanceof ModelError) throw new UsageError(e.message);
        throw e;
      }
      if (scale !== undefined && found.entry.scale !== scale) {
        throw new UsageError(`${step.model}: is an x${found.entry.scale} model, not x${scale}`);
      }
      continue;
    }
    const candidates = modelsForTask(models, step.task).filter((m) => scale === undefined || m.entry.scale === scale);
    if (candidates.length === 0) throw new NoModelError(noModelMessage(step.task, scale !== undefined ? { scale } : {}));
  }
}
