// Installed models for the Models view and the step editors: every manifest.json of the app's
// models folder and of the user's model folder, validated with the manifest schema, flattened to
// the contract's ModelInfo. A folder without a manifest is empty; a broken manifest is one
// clear error naming the file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Manifest, type ManifestEntry } from '../../models/manifest';
import { ApiError, type ModelInfo } from './contract';

export interface ModelFolder {
  dir: string;
  source: 'app' | 'user';
}

export async function readManifest(dir: string): Promise<ManifestEntry[]> {
  const file = path.join(dir, 'manifest.json');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ApiError('failed', `${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ApiError('failed', `${file}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError('failed', `${file}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid manifest'}`.trim());
  }
  return parsed.data.models;
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
    evaluation: entry.evaluation.map((e) => ({ set: e.set, psnr: e.psnr, sigma: e.sigma, scale: e.scale })),
  };
}

export async function listModels(folders: readonly ModelFolder[]): Promise<ModelInfo[]> {
  const out: ModelInfo[] = [];
  for (const folder of folders) {
    for (const entry of await readManifest(folder.dir)) out.push(toModelInfo(entry, folder));
  }
  return out;
}
