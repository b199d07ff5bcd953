// Managing the user's own models from the Models view: rename (the manifest's name and the model
// card), remove (manifest entry, ONNX file and card; never a built-in model) and lineage/default
// annotations of the model list (a fine-tune's base; which base it replaces as the default).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeModelCard } from '../../models/card';
import { loadManifest, removeManifestEntry, updateManifestEntry } from '../../models/registry';
import { ApiError, type ModelInfo, type Settings } from './contract';
import { toModelInfo, type ModelFolder } from './models';

async function findUserModel(folders: readonly ModelFolder[], id: string): Promise<ModelFolder> {
  // A later folder overrides an earlier one with the same id: look from the last.
  for (const folder of [...folders].reverse()) {
    const entries = await loadManifest(folder.dir).catch(() => []);
    if (!entries.some((e) => e.id === id)) continue;
    if (folder.source !== 'user') throw new ApiError('forbidden', `${id}: a built-in model cannot be renamed or removed`);
    return folder;
  }
  throw new ApiError('not-found', `${id}: no such model`);
}

export async function renameUserModel(folders: readonly ModelFolder[], id: string, name: string): Promise<ModelInfo> {
  const folder = await findUserModel(folders, id);
  const entry = await updateManifestEntry(folder.dir, id, (cur) => {
    if (!cur) throw new ApiError('not-found', `${id}: no such model`);
    return { ...cur, name };
  });
  if (entry.card) await writeModelCard(folder.dir, entry);
  return toModelInfo(entry, folder);
}

export async function removeUserModel(folders: readonly ModelFolder[], id: string): Promise<boolean> {
  const folder = await findUserModel(folders, id);
  const gone = await removeManifestEntry(folder.dir, id);
  if (!gone) return false;
  await fs.rm(path.join(folder.dir, gone.file), { force: true });
  if (gone.card) await fs.rm(path.join(folder.dir, gone.card), { force: true });
  return true;
}

/** Settings after making `model` the default in place of `base` (null: the base again). */
export function withDefault(settings: Settings, base: string, model: string | null): Settings['defaultModels'] {
  const next = { ...(settings.defaultModels ?? {}) };
  if (model === null) delete next[base];
  else next[base] = model;
  return next;
}

/** The default map without entries whose model is gone. */
export function pruneDefaults(defaults: Settings['defaultModels'], models: readonly ModelInfo[]): Settings['defaultModels'] {
  const ids = new Set(models.map((m) => m.id));
  return Object.fromEntries(Object.entries(defaults ?? {}).filter(([b, m]) => ids.has(b) && ids.has(m)));
}

/** Adds each model's `defaultFor` (the base it replaces as the default). */
export function annotateDefaults(models: ModelInfo[], defaults: Settings['defaultModels']): ModelInfo[] {
  const byModel = new Map(Object.entries(defaults ?? {}).map(([b, m]) => [m, b]));
  return models.map((m) => (byModel.has(m.id) ? { ...m, defaultFor: byModel.get(m.id)! } : m));
}
