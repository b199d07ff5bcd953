// Writes a trained model out: the inference ONNX (best weights, atomically), its manifest entry
// (models/registry upsertManifestEntry, in the output file's folder) and its model card with the
// run's provenance and held-out evaluation.
import os from 'node:os';
import path from 'node:path';
import { atomicWrite } from '../electron/imageio/atomic';
import { serializeModel } from '../models/onnx/serialize';
import { sha256File, upsertManifestEntry } from '../models/registry';
import { writeModelCard } from '../models/card';
import { ManifestEntry, type Degradation, type TaskName } from '../models/manifest';
import { exportWithWeights } from './step/export';
import type { StartModel } from './models';

export interface PublishInfo {
  task: TaskName;
  out: string;
  weights: Map<string, Float32Array>;
  start: StartModel;
  data: string;
  steps: number;
  seed: number;
  seconds: number;
  command: string;
  /** The final check of the run (trainer.ts): its mean PSNR, the base's, and how it was measured. */
  heldOut: { images: number; psnr: number; basePsnr: number | null; protocol: string };
  sigmaRange?: [number, number];
  /** Denoise: the fixed noise level of a blind model (old prints). */
  noiseLevel?: number;
  /** Denoise: what it learned to remove besides white noise (manifest degradations). */
  degradations?: Degradation[];
}

export function idFromPath(file: string): string {
  const base = path.basename(file).replace(/\.onnx$/i, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  return base || 'model';
}

export function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'cpu'} x${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()}-${os.arch()}`;
}

export async function publishModel(p: PublishInfo): Promise<ManifestEntry> {
  const dir = path.dirname(path.resolve(p.out));
  const id = idFromPath(p.out);
  const model = exportWithWeights(p.start.model, p.weights, { 'restore.training.steps': String(p.steps), 'restore.training.seed': String(p.seed) });
  await atomicWrite(p.out, [serializeModel(model)]);
  const sha256 = await sha256File(p.out);
  const draft = {
    id,
    name: p.start.base ? `${p.start.base.name ?? p.start.base.id} (fine-tuned)` : `${p.task} ${p.start.architecture}`,
    task: p.task,
    file: path.basename(p.out),
    sha256,
    parameters: p.start.parameters,
    architecture: p.start.architecture,
    inputs: p.start.inputs,
    output: p.start.output,
    scale: p.start.scale,
    receptiveField: p.start.receptiveField,
    multipleOf: p.start.multipleOf,
    recommendedTile: p.start.base?.recommendedTile ?? 512,
    sigmaRange: p.noiseLevel !== undefined ? undefined : p.sigmaRange ?? p.start.base?.sigmaRange,
    ...(p.noiseLevel !== undefined ? { noiseLevel: p.noiseLevel } : {}),
    ...(p.degradations ? { degradations: p.degradations } : {}),
    description: `Trained by restore train on ${p.data}`,
    card: `cards/${id}.md`,
    training: {
      data: p.data, steps: p.steps, seed: p.seed, seconds: Math.round(p.seconds), machine: machineDescription(),
      command: p.command, base: p.start.base?.id, date: new Date().toISOString(),
    },
    evaluation: [{ set: `held-out split (${p.heldOut.images} images)`, protocol: p.heldOut.protocol, psnr: Number(p.heldOut.psnr.toFixed(3)) }],
  };
  const parsed = ManifestEntry.safeParse(draft);
  if (!parsed.success) throw new Error(`${p.out}: invalid manifest entry (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
  await writeModelCard(dir, parsed.data);
  await upsertManifestEntry(dir, parsed.data);
  return parsed.data;
}
