// The training loop: data split and batches, one training session for the whole run, learning-rate
// schedule, validation PSNR every N steps on the held-out split, best-weights tracking, early
// stopping, atomic checkpoints every N steps (resumable after kill -9 with the same step numbering
// and the same batches), and export of the best weights. A fine-tuning run (base model) is adopted
// only if it beats the base model on the held-out split; the base file is only ever read.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { CheckpointEvent, StepEvent, TrainDoneEvent, ValidationEvent } from '../electron/cli/events';
import type { ActiveProvider } from '../electron/engine/protocol';
import type { TaskName } from '../models/manifest';
import { listImages, loadTrainImages, splitFiles } from './data/images';
import { BatchStream, trainingBatch, validationSet } from './data/loader';
import { batchShapes, sourcePatch, type TaskConfig } from './data/tasks';
import { loadDamageLibrary } from './data/masks';
import { buildStepModel } from './step/buildStep';
import { TrainSession } from './step/session';
import { learningRate } from './step/schedule';
import type { LossKind } from './step/losses';
import { readCheckpoint, writeCheckpoint, type CheckpointMeta } from './checkpoint';
import type { StartModel } from './models';
import { publishModel } from './publish';
import { writeJob } from './accelerator/exportJob';

/** A fine-tuned model must beat its base by this much on the held-out split to be adopted. */
export const MIN_GAIN_DB = 0.01;

export type TrainEvent = StepEvent | ValidationEvent | CheckpointEvent | TrainDoneEvent;

export interface TrainOptions {
  task: TaskName;
  data: string;
  out: string;
  start: StartModel;
  /** Total steps of the run (a resumed run continues counting). */
  steps: number;
  minutes?: number;
  resume?: string;
  checkpoint: string;
  seed: number;
  batch: number;
  patch: number;
  lr: number;
  warmup: number;
  loss: LossKind;
  valEvery: number;
  valFraction: number;
  /** Validation rounds without improvement before stopping (0 = never). */
  patience: number;
  checkpointEvery: number;
  threads?: number;
  provider?: ActiveProvider;
  sigma?: number | [number, number];
  /** Extra degradations: JPEG quality range, Poisson peak (denoise), blur sigma range (denoise, upscale). */
  jpegQuality?: [number, number];
  poissonPeak?: number;
  blur?: [number, number];
  /** Denoise: fraction of the noisy inputs saved as 8-bit (clipped, rounded) before the model sees them. */
  quantize?: number;
  /** Stop (validate, checkpoint, export) after this step of the `steps` schedule; a resume with the
   * same `steps` continues it exactly. Lets a recipe replay a run that was interrupted and resumed
   * with a longer schedule. */
  stopAt?: number;
  /** Denoise/upscale, RGB: fraction of the clean patches colour-augmented (permutation, saturation). */
  colorAug?: number;
  /** Denoise, RGB: fraction of the clean patches given a random orthogonal colour rotation. */
  colorRotate?: number;
  /** Export the last step's weights instead of the best validated ones (for losses whose held-out
   * PSNR does not rank models, e.g. mask-mse: the detector is judged by F1 afterwards). */
  takeLast?: boolean;
  /** Denoise: train on old-print restoration pairs (data/oldPrint.ts) with the fixed `sigma` as noise level. */
  oldPrint?: boolean;
  /** Inpaint/detect-damage: folder of real damage opacity masks (masks.ts). */
  damage?: string;
  command: string;
  onEvent: (e: TrainEvent) => void;
  signal?: AbortSignal;
  /** Write an accelerator job folder (training/accelerator) for this run instead of training. */
  exportJob?: string;
}

export interface TrainResult {
  adopted: boolean; bestPsnr: number; basePsnr: number | null; steps: number; out: string | null;
  /** Files written when `exportJob` was set. */
  jobFiles?: string[];
}

function psnrOf(pred: Float32Array, target: Float32Array, clip: boolean): number {
  let se = 0;
  for (let i = 0; i < pred.length; i++) {
    let p = pred[i] as number;
    if (clip) p = p < 0 ? 0 : p > 1 ? 1 : p;
    const d = p - (target[i] as number);
    se += d * d;
  }
  return -10 * Math.log10(Math.max(1e-12, se / pred.length));
}

export async function train(o: TrainOptions): Promise<TrainResult> {
  const t0 = Date.now();
  const files = await listImages(o.data);
  if (files.length < 2) throw new Error(`${o.data}: needs at least 2 images (found ${files.length})`);
  const split = splitFiles(files, o.data, o.valFraction, o.seed, 2);
  const imageInput = o.start.inputs.find((i) => i.role === 'image');
  const channels: 1 | 3 = o.task === 'colorize' ? 3 : imageInput?.channels === 1 ? 1 : 3;
  if ((o.colorAug || o.colorRotate) && channels !== 3) throw new Error('colour augmentation needs a colour (3-channel) model');
  // Upscale adds noise only when asked (robust variant); denoise defaults to 0-75 with a noise map, else 25.
  const sigma = o.task === 'upscale' ? o.sigma : o.sigma ?? (o.start.inputs.some((i) => i.role === 'noise_level') ? [0, 75] : 25);
  const cfg: TaskConfig = {
    task: o.task, channels, patch: o.patch, scale: o.start.scale, sigma, inputs: o.start.inputs, quantize: o.task === 'upscale' ? true : o.quantize ?? false,
    jpegQuality: o.jpegQuality, poissonPeak: o.poissonPeak, blur: o.blur, colorAug: o.colorAug, colorRotate: o.colorRotate,
    damage: o.damage ? await loadDamageLibrary(o.damage) : undefined,
    ...(o.oldPrint ? { oldPrint: true } : {}),
  };
  const minSize = sourcePatch(cfg);
  const tr = await loadTrainImages(split.train, channels, minSize);
  const va = await loadTrainImages(split.val, channels, minSize);
  if (tr.images.length === 0) throw new Error(`${o.data}: no usable training images (${tr.skipped[0] ?? 'none at least ' + minSize + ' px'})`);
  if (va.images.length === 0) throw new Error(`${o.data}: no usable held-out images (${va.skipped[0] ?? 'none'})`);

  const shapes = batchShapes(cfg, o.batch);
  const sm = await buildStepModel(o.start.model, { loss: o.loss, inputs: shapes.inputs, output: o.start.output.name, optimizer: { kind: 'adam', clipNorm: 1 } });
  const configKey = createHash('sha256').update(JSON.stringify({
    task: o.task, train: split.train, params: sm.params.map((p) => [p.name, p.dims]), batch: o.batch, patch: o.patch,
    seed: o.seed, loss: o.loss, sigma, scale: cfg.scale, jpeg: o.jpegQuality, poisson: o.poissonPeak, blur: o.blur,
    ...(o.quantize ? { quantize: o.quantize } : {}),
    ...(o.colorAug ? { colorAug: o.colorAug } : {}),
    ...(o.colorRotate ? { colorRotate: o.colorRotate } : {}),
    ...(cfg.damage ? { damage: cfg.damage.masks.length } : {}),
    ...(o.oldPrint ? { oldPrint: true } : {}),
  })).digest('hex').slice(0, 16);

  let meta: CheckpointMeta = {
    step: 0, seed: o.seed, configKey, bestPsnr: -Infinity, bestStep: 0, basePsnr: null, roundsWithoutImprovement: 0, seconds: 0, history: [],
  };
  let best = new Map(sm.initial);
  let session: TrainSession;
  if (o.resume) {
    const ck = await readCheckpoint(o.resume);
    if (ck.meta.configKey !== configKey) throw new Error(`${o.resume}: checkpoint belongs to another configuration (data, model or settings changed)`);
    meta = ck.meta;
    best = ck.best;
    session = await TrainSession.create(sm, { threads: o.threads, provider: o.provider }, ck.state);
  } else {
    session = await TrainSession.create(sm, { threads: o.threads, provider: o.provider });
  }
  try {
    const val = await validationSet(va.images, cfg, o.seed);
    const clip = o.start.output.role === 'image';
    const validate = async (): Promise<number> => {
      let sum = 0;
      for (const b of val) {
        const inputs = Object.fromEntries(Object.entries(b.inputs).map(([k, d]) => [k, { data: d, dims: [1, d.length / (o.patch * o.patch), o.patch, o.patch] }]));
        const y = await session.predict(inputs);
        sum += psnrOf(y.data, b.target, clip);
      }
      return sum / val.length;
    };
    const sched = { base: o.lr, warmupSteps: o.warmup, totalSteps: o.steps, minFactor: 0.05 };
    if (o.exportJob) {
      const refBatch = await trainingBatch(tr.images, cfg, o.batch, o.seed, meta.step);
      const jobFiles = await writeJob({
        dir: o.exportJob, step: sm, cfg, batch: o.batch, seed: o.seed, schedule: sched, dataRoot: o.data, trainFiles: tr.images.map((i) => i.file),
        configKey, loss: o.loss, checkpoint: { meta, state: session.snapshot(), best },
      }, session, refBatch, learningRate(sched, meta.step));
      return { adopted: false, bestPsnr: meta.bestPsnr, basePsnr: meta.basePsnr, steps: meta.step, out: null, jobFiles };
    }
    if (!o.resume && o.start.base) {
      meta.basePsnr = await validate();
      meta.bestPsnr = meta.basePsnr;
      o.onEvent({ type: 'validation', step: 0, psnr: meta.basePsnr });
    }
    if (o.resume && (meta.bestPsnr === null || !Number.isFinite(meta.bestPsnr))) {
      // A checkpoint whose weights were never validated (e.g. written by an accelerator job).
      meta.bestPsnr = await validate();
      meta.bestStep = meta.step;
      best = new Map([...session.weights()].map(([k, v]) => [k, Float32Array.from(v)]));
      o.onEvent({ type: 'validation', step: meta.step, psnr: meta.bestPsnr });
    }
    const stream = new BatchStream(tr.images, cfg, o.batch, o.seed);
    const deadline = o.minutes ? Date.now() + o.minutes * 60_000 : Infinity;
    const secondsBefore = meta.seconds;
    const saveCheckpoint = async (): Promise<void> => {
      meta.seconds = secondsBefore + (Date.now() - t0) / 1000;
      await writeCheckpoint(o.checkpoint, { meta, state: session.snapshot(), best });
      o.onEvent({ type: 'checkpoint', step: meta.step, path: o.checkpoint });
    };
    let stopped = false;
    const end = Math.min(o.steps, o.stopAt ?? Infinity);
    while (meta.step < end && !stopped) {
      const step = meta.step; // 0-based index of the step being taken
      const tStep = performance.now();
      const batch = await stream.get(step);
      const lr = learningRate(sched, step);
      const r = await session.step(batch, lr);
      meta.step = step + 1;
      const dt = (performance.now() - tStep) / 1000;
      meta.history.push({ step: meta.step, loss: r.loss });
      if (meta.history.length > 10000) meta.history.shift();
      o.onEvent({ type: 'step', step: meta.step, loss: r.loss, lr, imagesPerSec: o.batch / dt });
      if (!Number.isFinite(r.loss)) throw new Error(`training diverged at step ${meta.step} (loss ${r.loss}); lower --lr`);
      const last = meta.step >= end || Date.now() > deadline || o.signal?.aborted === true;
      if (meta.step % o.valEvery === 0 || last) {
        const psnr = await validate();
        const h = meta.history[meta.history.length - 1];
        if (h) h.psnr = psnr;
        o.onEvent({ type: 'validation', step: meta.step, psnr });
        if (psnr > meta.bestPsnr) {
          meta.bestPsnr = psnr;
          meta.bestStep = meta.step;
          meta.roundsWithoutImprovement = 0;
          best = new Map([...session.weights()].map(([k, v]) => [k, Float32Array.from(v)]));
        } else {
          meta.roundsWithoutImprovement += 1;
          if (o.patience > 0 && meta.roundsWithoutImprovement >= o.patience) stopped = true;
        }
      }
      if (meta.step % o.checkpointEvery === 0 || last || stopped) await saveCheckpoint();
      if (last) break;
    }
    if (o.takeLast) {
      best = new Map([...session.weights()].map(([k, v]) => [k, Float32Array.from(v)]));
      meta.bestStep = meta.step;
      meta.bestPsnr = meta.history[meta.history.length - 1]?.psnr ?? (await validate());
    }
    const adopted = meta.basePsnr === null || meta.bestPsnr >= meta.basePsnr + MIN_GAIN_DB;
    const seconds = secondsBefore + (Date.now() - t0) / 1000;
    if (adopted) {
      await publishModel({
        task: o.task, out: o.out, weights: best, start: o.start, data: o.data, steps: meta.bestStep, seed: o.seed, seconds,
        command: o.command, heldOut: { images: val.length, psnr: meta.bestPsnr, basePsnr: meta.basePsnr },
        sigmaRange: o.task !== 'denoise' || sigma === undefined || o.oldPrint ? undefined : Array.isArray(sigma) ? sigma : [sigma, sigma],
        noiseLevel: o.oldPrint && typeof sigma === 'number' ? sigma : undefined,
      });
    }
    o.onEvent({ type: 'done', out: adopted ? o.out : '', bestPsnr: meta.bestPsnr, adopted });
    return { adopted, bestPsnr: meta.bestPsnr, basePsnr: meta.basePsnr, steps: meta.step, out: adopted ? o.out : null };
  } finally {
    await session.release();
  }
}

/** True when `file` exists. */
export async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(() => true, () => false);
}
