// Whole-file measurement run inside a bench child process: the in-process Engine (the code the
// engine process runs for the CLI, `restore serve` and the app: thread budget, session pool with
// sha256 check, imageio read, task units, tiling and blending, atomic write with metadata)
// processes one file, after a warm-up file that pays for session creation. Reports the seconds
// end to end and per phase (processFile's timings), the process's CPU time over the same span
// (below threads x seconds when other processes took cores), the tile in use and the process's
// peak RSS, which is the engine process's own.
import os from 'node:os';
import { Engine } from '../engine/engine';
import type { ProcessFileRequest, TaskStep } from '../engine/protocol';
import { peakRssMb, round } from './stats';
import type { BenchResult } from './types';

export interface EngineSpec {
  kind: 'engine';
  name: string;
  /** A small file processed first with the same steps (session creation, first allocations). */
  warmupInput: string;
  input: string;
  /** Output file; its extension is not used: the format is `format`. */
  output: string;
  format: ProcessFileRequest['format'];
  steps: TaskStep[];
  modelDirs: string[];
  threads: number;
  /** Tile side; 0 = the model's recommended tile. */
  tile: number;
}

export async function measureEngine(spec: EngineSpec): Promise<BenchResult> {
  const log = (level: string, message: string): void => void process.stderr.write(`${level}: ${message}\n`);
  const engine = await Engine.create({ provider: 'cpu', threads: spec.threads, tile: spec.tile, modelDirs: spec.modelDirs }, log);
  try {
    const request = (input: string, output: string): ProcessFileRequest => ({ jobId: spec.name, input, output, steps: spec.steps, format: spec.format });
    await engine.process(request(spec.warmupInput, `${spec.output}.warmup`));
    let tile = 0;
    let tiles = 0;
    const cpu0 = process.cpuUsage();
    const res = await engine.process(request(spec.input, spec.output), {
      onProgress: (p) => {
        tile = p.tile ?? tile;
        tiles = p.tilesTotal;
      },
    });
    const cpu = process.cpuUsage(cpu0);
    const t = res.timings;
    return {
      name: spec.name,
      seconds: round(res.seconds),
      readSeconds: t ? round(t.readSeconds) : null,
      stepSeconds: t ? round(t.stepSeconds.reduce((a, b) => a + b, 0)) : null,
      writeSeconds: t ? round(t.writeSeconds) : null,
      cpuSeconds: round((cpu.user + cpu.system) / 1e6),
      outputWidth: res.width,
      outputHeight: res.height,
      tile,
      tiles,
      threads: spec.threads,
      cores: os.availableParallelism(),
      peakRssMb: peakRssMb(),
    };
  } finally {
    await engine.close();
  }
}
