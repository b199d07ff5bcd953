// Installed models for the Models view and the step editors (every manifest of the app's models
// folder and the user's model folders, read by models/registry), flattened to the contract's
// ModelInfo; and import of an ONNX file into the user's model folder: the file is loaded by
// ONNX Runtime and run once on a small input (so a broken or foreign graph is refused with its
// reason), its task and layout are read from its input/output names and shapes, it is hashed,
// copied (atomically) and listed in that folder's manifest. The app's own folder is never written.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { isOldPrintModel, type ManifestEntry, type TaskName } from '../../models/manifest';
import { loadManifest, sha256File, upsertManifestEntry } from '../../models/registry';
import { detectionScores, headlineEvaluation } from '../../models/headline';
import { temporaryPath } from '../imageio/tempfiles';
import { ApiError, type ModelInfo } from './contract';
import { countParameters } from './modelParameters';

export interface ModelFolder {
  dir: string;
  source: 'app' | 'user';
}

function imageChannels(e: ManifestEntry): number | undefined {
  return e.inputs.find((i) => i.role === 'image' || i.role === 'luma')?.channels;
}

export function toModelInfo(entry: ManifestEntry, folder: ModelFolder): ModelInfo {
  return {
    id: entry.id,
    name: entry.name ?? entry.id,
    task: entry.task,
    parameters: entry.parameters,
    architecture: entry.architecture,
    scale: entry.scale,
    source: folder.source,
    file: path.join(folder.dir, entry.file),
    description: entry.description,
    evaluation: headlineEvaluation(entry.evaluation).flatMap((e) => (e.psnr === undefined ? [] : [{ set: e.set, psnr: e.psnr, sigma: e.sigma, scale: e.scale, ...(e.protocol ? { protocol: e.protocol } : {}) }])),
    ...(entry.training?.base ? { lineage: { base: entry.training.base, data: entry.training.data, steps: entry.training.steps, ...(entry.training.date ? { date: entry.training.date } : {}) } } : {}),
    ...(imageChannels(entry) !== undefined ? { channels: imageChannels(entry) } : {}),
    ...(entry.noiseLevel !== undefined ? { fixedNoiseLevel: entry.noiseLevel } : {}),
    ...(isOldPrintModel(entry) ? { oldPrint: true } : {}),
    ...(entry.task === 'detect-damage' && entry.threshold !== undefined ? { threshold: entry.threshold, detection: detectionScores(entry) } : {}),
  };
}

export async function listModels(folders: readonly ModelFolder[]): Promise<ModelInfo[]> {
  const out: ModelInfo[] = [];
  for (const folder of folders) {
    let entries: ManifestEntry[];
    try {
      entries = await loadManifest(folder.dir);
    } catch (e) {
      throw new ApiError('failed', (e as Error).message);
    }
    for (const entry of entries) out.push(toModelInfo(entry, folder));
  }
  return out;
}

const ROLE_BY_NAME: Record<string, ManifestEntry['inputs'][number]['role']> = {
  image: 'image',
  input: 'image',
  noise_level: 'noise_level',
  sigma: 'noise_level',
  mask: 'mask',
  luma: 'luma',
  l: 'luma',
};

/** Reads the task and layout of an ONNX model by running it once on a 32 x 32 input. */
export async function inspectModel(file: string): Promise<Omit<ManifestEntry, 'id' | 'file' | 'sha256'>> {
  const fail = (reason: string): never => {
    throw new ApiError('invalid-argument', `${file}: ${reason}`);
  };
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'basic' });
  } catch (e) {
    return fail(`not a model ONNX Runtime can load (${(e as Error).message.split('\n')[0]})`);
  }
  try {
    const inputs = session.inputNames.map((name) => {
      const role = ROLE_BY_NAME[name.toLowerCase()];
      if (!role) fail(`input "${name}" is not one of image, noise_level, mask, luma (see README, Models)`);
      const channels = role === 'image' ? 3 : 1;
      return { name, role: role!, channels };
    });
    if (session.outputNames.length !== 1) fail(`expected one output, found ${session.outputNames.length}`);
    const size = 32;
    const feeds: Record<string, ort.Tensor> = {};
    for (const i of inputs) feeds[i.name] = new ort.Tensor('float32', new Float32Array(i.channels * size * size).fill(i.role === 'noise_level' ? 0.1 : 0.5), [1, i.channels, size, size]);
    let dims: readonly number[];
    try {
      const out = await session.run(feeds);
      dims = out[session.outputNames[0]!]!.dims;
    } catch (e) {
      // A gray model takes 1-channel images: retry once before giving up.
      const image = inputs.find((i) => i.role === 'image');
      if (!image) throw e;
      image.channels = 1;
      feeds[image.name] = new ort.Tensor('float32', new Float32Array(size * size).fill(0.5), [1, 1, size, size]);
      dims = (await session.run(feeds))[session.outputNames[0]!]!.dims;
    }
    const [, channels, h] = dims;
    if (dims.length !== 4 || !channels || !h || h % size !== 0) fail(`output shape [${dims.join(', ')}] is not N x C x (k*H) x (k*W)`);
    const scale = h! / size;
    const roles = new Set(inputs.map((i) => i.role));
    const task: TaskName = roles.has('mask') ? 'inpaint' : roles.has('luma') ? 'colorize' : roles.has('noise_level') ? 'denoise' : scale > 1 ? 'upscale' : 'denoise';
    if (task === 'colorize' && channels !== 2) fail(`a colorizer must output 2 channels (a, b), not ${channels}`);
    return {
      task,
      parameters: await countParameters(file),
      architecture: 'imported',
      inputs,
      output: { name: session.outputNames[0]!, role: task === 'colorize' ? 'ab' : 'image', channels: channels! },
      range: [0, 1],
      scale,
      receptiveField: 33,
      multipleOf: 1,
      recommendedTile: 512,
      evaluation: [],
    };
  } catch (e) {
    if (e instanceof ApiError) throw e;
    return fail(`does not run on a 32 x 32 test input (${(e as Error).message.split('\n')[0]})`);
  } finally {
    await session.release();
  }
}

/** Copies a validated model into `folder` and lists it in that folder's manifest. */
export async function importModel(file: string, folder: ModelFolder): Promise<ModelInfo> {
  if (folder.source !== 'user') throw new ApiError('forbidden', `${folder.dir}: models are imported into the user's model folder only`);
  if (path.extname(file).toLowerCase() !== '.onnx') throw new ApiError('invalid-argument', `${file}: not an .onnx file`);
  const layout = await inspectModel(file);
  const existing = await loadManifest(folder.dir).catch((e: Error) => {
    throw new ApiError('failed', e.message);
  });
  const base = path.basename(file, path.extname(file)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'model';
  let id = base;
  for (let n = 2; existing.some((e) => e.id === id); n++) id = `${base}-${n}`;
  await fs.mkdir(folder.dir, { recursive: true });
  const target = path.join(folder.dir, `${id}.onnx`);
  const tmp = temporaryPath(folder.dir); // short, whatever the id's length
  try {
    await fs.copyFile(file, tmp);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  const entry: ManifestEntry = { ...layout, id, name: path.basename(file), file: `${id}.onnx`, sha256: await sha256File(target), description: `Imported from ${file}` };
  await upsertManifestEntry(folder.dir, entry);
  return toModelInfo(entry, folder);
}
