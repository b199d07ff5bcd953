// Inference measurement run inside a child process (so peak RSS is per model): builds a seeded
// random 8-bit image of the requested size and runs the model over it exactly as the engine does
// (tasks/infer.ts inferTiled: session pool with sha256 check, the engine's tiling, sources and
// sinks; memory O(tile rows x width) in float, the image itself in 8 bit). Reports input
// megapixels per second (mpPerSec), output megapixels per second (outputMpPerSec: x scale^2 for
// upscalers), the tile and the process's peak RSS; with `selfEnsemble`, every tile runs as the
// 8-transform self-ensemble.
import type { ManifestEntry } from '../../models/manifest';
import { verifyModelFile } from '../../models/registry';
import { createCatalog } from '../engine/catalog';
import { SessionPool } from '../engine/ort';
import { constantSource, rasterSink, rasterSource } from '../engine/sources';
import { inferTiled } from '../engine/tasks/infer';
import type { TaskContext } from '../engine/tasks/types';
import type { TileSource } from '../engine/tiling';
import type { InputRole } from '../../models/manifest';
import { peakRssMb, round } from './stats';
import type { BenchResult } from './types';

export interface InferSpec {
  kind: 'infer';
  name: string;
  entry: ManifestEntry;
  path: string;
  width: number;
  height: number;
  threads: number;
  /** Tile side; 0 (or absent) = the model's recommended tile. */
  tile?: number;
  /** Run every tile as the engine's self-ensemble (selfEnsemble.ts, the "Max quality" option). */
  selfEnsemble?: boolean;
}

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

export async function measureInference(spec: InferSpec): Promise<BenchResult> {
  const { entry } = spec;
  const picked = { entry, path: spec.path };
  const sessions = new SessionPool({ provider: 'cpu', threads: spec.threads, verify: verifyModelFile });
  const ctx: TaskContext = {
    catalog: createCatalog([picked], async () => picked),
    sessions,
    tile: spec.tile ?? 0, // 0: the model's recommended tile
    log: (level, message) => void process.stderr.write(`${level}: ${message}\n`),
  };
  const imageChannels = Math.max(1, ...entry.inputs.filter((i) => i.role === 'image' || i.role === 'luma').map((i) => i.channels));
  let tile = entry.recommendedTile;
  const run = async (width: number, height: number): Promise<number> => {
    const image = { width, height, channels: imageChannels, data: randomBytes(width * height * imageChannels, 7) };
    const sources: Partial<Record<InputRole, TileSource>> = {};
    for (const i of entry.inputs) {
      const map = Array.from({ length: i.channels }, (_, c) => Math.min(c, imageChannels - 1));
      sources[i.role] = i.role === 'noise_level' ? constantSource(25 / 255) : i.role === 'mask' ? constantSource(0) : rasterSource(image, map);
    }
    const C = entry.output.channels;
    const s = entry.scale;
    const out = { width: width * s, height: height * s, channels: C, data: new Uint8Array(width * height * s * s * C) };
    const t0 = performance.now();
    ({ tile } = await inferTiled(ctx, picked, { width, height, sources, selfEnsemble: spec.selfEnsemble ?? false, sink: rasterSink(out, Array.from({ length: C }, (_, c) => c)) }));
    return (performance.now() - t0) / 1000;
  };
  const warm = Math.min(spec.width, spec.height, entry.recommendedTile);
  await run(warm, warm); // session creation, first allocations
  const seconds = await run(spec.width, spec.height);
  await sessions.releaseAll();
  const mp = (spec.width * spec.height) / 1e6;
  const outputMp = mp * entry.scale * entry.scale;
  return {
    name: spec.name, mpPerSec: round(mp / seconds), outputMpPerSec: round(outputMp / seconds), seconds: round(seconds), megapixels: round(mp),
    scale: entry.scale, tile, threads: spec.threads, peakRssMb: peakRssMb(),
  };
}
