// One `compare/*` row, run inside a bench child process (so peakRssMb is the model's own): opens
// an upscaler (an UpscalerJS ESRGAN model on tfjs-wasm, or one of our manifest models on ONNX
// Runtime's CPU provider), times it on the fixed input (the centre SPEED_SIDE x SPEED_SIDE of one
// image, whole-image runs after a small warm-up, median of up to 3 runs within ~20 s), then scores
// Set5 and Set14 with training/eval's evalUpscale, the code `restore eval --task upscale` uses
// (Y-PSNR, BT.601, border = scale, gray references on gray, output rounded to 8 bits), which also
// gives the bicubic baseline of the same sets.
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ManifestEntry } from '../../../models/manifest';
import { verifyModelFile } from '../../../models/registry';
import type { Planar } from '../../../training/data/degrade';
import { evalUpscale, type UpscaleModel } from '../../../training/eval/evaluate';
import { loadPlanar } from '../../../training/eval/images';
import { ModelRunner } from '../../../training/eval/runner';
import { median, peakRssMb, round } from '../stats';
import type { BenchResult } from '../types';
import { loadEsrgan, type EsrganSize } from './esrganPackages';
import { EsrganRunner } from './esrganRunner';
import { loadTfjsWasm } from './tfjsWasm';

export const SPEED_SIDE = 256;
const WARMUP_SIDE = 64;
const MAX_SPEED_RUNS = 3;
const SPEED_BUDGET_S = 20;

export interface CompareSpec {
  kind: 'compare';
  name: string;
  model: { runtime: 'esrgan'; size: EsrganSize; scale: 2 | 4 } | { runtime: 'onnx'; entry: ManifestEntry; path: string };
  /** Folder with Set5/x<scale>/{HR,LR} and Set14/... (shared/data/eval/sr). */
  srDir: string;
  /** Image whose centre SPEED_SIDE square is the speed input (same file for every row). */
  speedInput: string;
  threads: number;
}

interface OpenedModel {
  model: UpscaleModel;
  scale: number;
  channels: 1 | 3;
  threads: number;
  backend: string;
  parameters: number;
  source: string;
  close: () => Promise<void>;
}

async function openModel(spec: CompareSpec): Promise<OpenedModel> {
  const m = spec.model;
  if (m.runtime === 'esrgan') {
    const tfw = await loadTfjsWasm(spec.threads);
    try {
      const esrgan = await loadEsrgan(tfw.tf, m.size, m.scale);
      return {
        model: new EsrganRunner(tfw.tf, esrgan), scale: m.scale, channels: 3, threads: tfw.threads, backend: tfw.backend,
        parameters: esrgan.parameters, source: esrgan.source,
        close: async () => { esrgan.model.dispose(); tfw.dispose(); },
      };
    } catch (e) {
      tfw.dispose();
      throw e;
    }
  }
  await verifyModelFile(m.entry, m.path);
  const runner = await ModelRunner.open(m.entry, m.path, { threads: spec.threads, provider: 'cpu' });
  const channels = m.entry.inputs.find((i) => i.role === 'image')?.channels;
  if (channels !== 1 && channels !== 3) throw new Error(`${m.path}: ${m.entry.id} has no 1- or 3-channel image input`);
  return {
    model: runner, scale: m.entry.scale, channels, threads: spec.threads, backend: `onnxruntime-node ${ort.env.versions.node ?? ''} cpu`.replace('  ', ' '),
    parameters: m.entry.parameters, source: m.path, close: () => runner.release(),
  };
}

function centreCrop(img: Planar, side: number): Planar {
  if (img.h < side || img.w < side) throw new Error(`speed input is ${img.w}x${img.h}, smaller than ${side}x${side}`);
  const y0 = (img.h - side) >> 1, x0 = (img.w - side) >> 1, data = new Float32Array(img.c * side * side);
  for (let c = 0; c < img.c; c++) for (let y = 0; y < side; y++) {
    const src = (c * img.h + y0 + y) * img.w + x0;
    data.set(img.data.subarray(src, src + side), (c * side + y) * side);
  }
  return { c: img.c, h: side, w: side, data };
}

/**
 * Median seconds of whole-image runs (up to MAX_SPEED_RUNS, fewer once SPEED_BUDGET_S is spent),
 * and the process's CPU seconds per run (all threads): CPU / wall shows the parallelism reached,
 * and output megapixels per CPU second (mpPerCpuSec) move much less than wall time when other
 * jobs share the machine (ONNX Runtime's spinning threads count in it, so it is conservative for
 * our rows).
 */
async function timeRuns(run: () => Promise<unknown>): Promise<{ seconds: number; cpuSeconds: number; runs: number }> {
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  while (times.length < MAX_SPEED_RUNS && times.reduce((a, b) => a + b, 0) < SPEED_BUDGET_S) {
    const t0 = performance.now();
    await run();
    times.push((performance.now() - t0) / 1000);
  }
  const cpu = process.cpuUsage(cpu0);
  return { seconds: median(times), cpuSeconds: (cpu.user + cpu.system) / 1e6 / times.length, runs: times.length };
}

export async function measureCompare(spec: CompareSpec): Promise<BenchResult> {
  const opened = await openModel(spec);
  try {
    const { model, scale } = opened;
    const input = centreCrop(await loadPlanar(spec.speedInput, opened.channels), SPEED_SIDE);
    await model.run({ image: centreCrop(input, WARMUP_SIDE) });
    const speed = await timeRuns(() => model.run({ image: input }));
    const outputMp = (SPEED_SIDE * SPEED_SIDE * scale * scale) / 1e6;
    const rssSpeed = peakRssMb();
    const t0 = performance.now();
    const set5 = await evalUpscale(model, path.join(spec.srDir, 'Set5'), scale);
    const set14 = await evalUpscale(model, path.join(spec.srDir, 'Set14'), scale);
    const psnrOf = (rows: typeof set5, method: string): number => round(rows.find((r) => r.method === method)?.psnr ?? NaN, 4);
    return {
      name: spec.name,
      yPsnrSet5: psnrOf(set5, model.entry.id),
      yPsnrSet14: psnrOf(set14, model.entry.id),
      mpPerSec: round(outputMp / speed.seconds),
      peakRssMb: rssSpeed,
      threads: opened.threads,
      backend: opened.backend,
      scale,
      outputMpPerSec: round(outputMp / speed.seconds),
      speedInput: `${SPEED_SIDE}x${SPEED_SIDE} -> ${SPEED_SIDE * scale}x${SPEED_SIDE * scale}`,
      speedSeconds: round(speed.seconds),
      speedRuns: speed.runs,
      speedCpuSeconds: round(speed.cpuSeconds),
      mpPerCpuSec: round(outputMp / speed.cpuSeconds),
      bicubicSet5: psnrOf(set5, 'bicubic'),
      bicubicSet14: psnrOf(set14, 'bicubic'),
      evalSeconds: round((performance.now() - t0) / 1000),
      peakRssEvalMb: peakRssMb(),
      parameters: opened.parameters,
      loadAvg1: round(os.loadavg()[0] ?? 0, 2),
      source: opened.source,
    };
  } finally {
    await opened.close();
  }
}
