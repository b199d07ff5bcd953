// Inference measurement run inside a child process (so peak RSS is per model): builds a seeded
// random 8-bit image of the requested size, runs the model over it with the engine's own tiling
// (runTiled), sources and sinks (memory O(tile rows x width) in float, the image itself in 8 bit),
// and reports megapixels per second of input, the tile and the process's peak RSS.
import { SessionPool } from '../engine/ort';
import { runTiled, type TileSource } from '../engine/tiling';
import { constantSource, rasterSink, rasterSource } from '../engine/sources';
import { peakRssMb, round } from './stats';
import type { BenchResult } from './types';

export interface InferSpec {
  kind: 'infer';
  name: string;
  file: string;
  inputs: Array<{ name: string; role: 'image' | 'noise_level' | 'mask' | 'luma'; channels: number }>;
  output: { name: string; role: 'image' | 'ab'; channels: number };
  scale: number;
  receptiveField: number;
  multipleOf: number;
  tile: number;
  width: number;
  height: number;
  threads: number;
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
  const imageChannels = Math.max(1, ...spec.inputs.filter((i) => i.role === 'image' || i.role === 'luma').map((i) => i.channels));
  const pool = new SessionPool({ provider: 'cpu', threads: spec.threads });
  const session = await pool.get(spec.file);
  const run = async (width: number, height: number): Promise<number> => {
    const image = { width, height, channels: imageChannels, data: randomBytes(width * height * imageChannels, 7) };
    const inputs: Record<string, TileSource> = {};
    for (const i of spec.inputs) {
      const map = Array.from({ length: i.channels }, (_, c) => Math.min(c, imageChannels - 1));
      inputs[i.name] = i.role === 'noise_level' ? constantSource(25 / 255) : i.role === 'mask' ? constantSource(0) : rasterSource(image, map);
    }
    const C = spec.output.channels;
    const out = { width: width * spec.scale, height: height * spec.scale, channels: C, data: new Uint8Array(width * height * spec.scale * spec.scale * C) };
    const t0 = performance.now();
    await runTiled({
      width,
      height,
      inputs,
      run: (feeds) => session.run(feeds, { output: spec.output.name }),
      outChannels: C,
      scale: spec.scale,
      tile: spec.tile,
      receptiveField: spec.receptiveField,
      multipleOf: spec.multipleOf,
      sink: rasterSink(out, Array.from({ length: C }, (_, c) => c)),
    });
    return (performance.now() - t0) / 1000;
  };
  await run(Math.min(spec.width, spec.tile), Math.min(spec.height, spec.tile)); // warm-up: session, allocations
  const seconds = await run(spec.width, spec.height);
  await pool.releaseAll();
  const mp = (spec.width * spec.height) / 1e6;
  return { name: spec.name, mpPerSec: round(mp / seconds), seconds: round(seconds), megapixels: round(mp), tile: spec.tile, threads: spec.threads, peakRssMb: peakRssMb() };
}
