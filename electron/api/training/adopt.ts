// Adopting a fine-tuned model: the model a finished training staged in its job folder (ONNX +
// manifest entry written by the trainer) is copied into the user's model folder under a new id
// made from the user's name, with a manifest entry carrying its lineage (base model, the photo
// folders, the held-out result, the date) and a model card generated from that entry. Only a
// model that beat its base on the held-out photos was staged, so only such a model is adopted.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeModelCard } from '../../../models/card';
import type { ManifestEntry } from '../../../models/manifest';
import { loadManifest, loadModels, upsertManifestEntry } from '../../../models/registry';
import { temporaryPath } from '../../imageio/tempfiles';
import { ApiError, type TrainingJobInfo } from '../contract';
import type { StoredJob } from './jobs';

/** A manifest id from a user's name: lower-case, [a-z0-9._-], not taken by any installed model. */
export async function freeModelId(name: string, modelDirs: readonly string[]): Promise<string> {
  const base = name.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/-+$/, '').slice(0, 60) || 'my-model';
  const taken = new Set((await loadModels(modelDirs)).map((m) => m.entry.id));
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

export interface AdoptInput {
  job: StoredJob;
  info: TrainingJobInfo;
  name: string;
  /** The user's model folder (written) and every model folder (for a free id). */
  target: string;
  modelDirs: readonly string[];
}

export async function adoptStagedModel(a: AdoptInput): Promise<ManifestEntry> {
  const { job, info } = a;
  if (info.adopted) throw new ApiError('invalid-argument', `adoptTrainedModel: already adopted as ${info.adopted}`);
  if (info.state !== 'finished' || !info.outcome) throw new ApiError('invalid-argument', `adoptTrainedModel: ${info.request.name} has not finished (${info.state})`);
  if (!info.outcome.canAdopt) {
    throw new ApiError('invalid-argument', `adoptTrainedModel: ${info.outcome.reason ?? 'the fine-tuned model did not beat its base on the held-out photos'}`);
  }
  const stagingDir = path.dirname(job.host.out);
  const staged = (await loadManifest(stagingDir)).find((e) => path.resolve(stagingDir, e.file) === path.resolve(job.host.out));
  if (!staged) throw new ApiError('not-found', `${job.host.out}: the staged model is missing (its job folder was changed)`);
  const id = await freeModelId(a.name, a.modelDirs);
  await fs.mkdir(a.target, { recursive: true });
  const file = `${id}.onnx`;
  const tmp = temporaryPath(a.target);
  try {
    await fs.copyFile(job.host.out, tmp);
    await fs.rename(tmp, path.join(a.target, file));
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw new ApiError('failed', `${path.join(a.target, file)}: cannot install the model (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const r = info.result;
  const date = new Date().toISOString();
  const heldOut = r
    ? [{ set: `held-out photos (${r.photos.length})${r.reference === 'self' ? ', noisy, no clean reference' : ''}${r.measure === 'whole' ? ', colourized whole, automatic and 10 points' : ''}`, ...(r.basePsnr !== null ? { protocol: `base ${info.request.base}: ${r.basePsnr.toFixed(2)} dB` } : {}), psnr: Number(r.psnr.toFixed(3)) }]
    : [];
  const entry: ManifestEntry = {
    ...staged,
    id,
    name: a.name,
    file,
    card: `cards/${id}.md`,
    description: `Fine-tuned in Restore Studio from ${info.request.baseName} (${info.request.base}) on ${info.request.folders.join(', ')}${info.request.noisy ? ' (noisy photos, learnt without clean originals)' : ''}.`,
    training: {
      ...(staged.training ?? { steps: info.step, seed: 0, seconds: Math.round(job.seconds), machine: '', command: '' }),
      data: info.request.folders.join(', '),
      base: info.request.base,
      date,
    },
    evaluation: [...heldOut, ...(heldOut.length ? staged.evaluation.filter((e) => !e.set.startsWith('held-out')) : staged.evaluation)],
  };
  await writeModelCard(a.target, entry);
  await upsertManifestEntry(a.target, entry);
  return entry;
}
