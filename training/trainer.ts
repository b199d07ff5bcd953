// The training loop: data split and batches, one training session for the whole run, learning-rate
// schedule, validation PSNR every N steps on the held-out split, best-weights tracking, early
// stopping, atomic checkpoints every N steps (resumable after kill -9 with the same step numbering
// and the same batches), and export of the best weights. A fine-tuning run (base model) is adopted
// only if it beats the base model on the held-out split, on the validation crops and then on a
// final check of fresh pairs the choice of weights never saw (verdict.ts); the base file is only
// ever read.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type {
  CheckpointEvent, PausedEvent, PrepareEvent, PreviewEvent, SplitEvent, StepEvent, TrainDoneEvent, TrainResultEvent, ValidationEvent,
} from '../electron/cli/events';
import type { ActiveProvider } from '../electron/engine/protocol';
import type { TaskName } from '../models/manifest';
import { MONOCHROME_SKIP, listImages, loadTrainImages, splitFiles } from './data/images';
import { BatchStream, CHECK_CROPS, checkSet, trainingBatch, validationSet } from './data/loader';
import { batchShapes, sourcePatch, type TaskConfig } from './data/tasks';
import { loadDamageLibrary } from './data/masks';
import type { DamageMix } from './data/damageSample';
import { buildStepModel } from './step/buildStep';
import { TrainSession } from './step/session';
import { learningRate } from './step/schedule';
import { CHROMA_WEIGHT, type LossKind } from './step/losses';
import { readCheckpoint, writeCheckpoint, type CheckpointMeta } from './checkpoint';
import type { StartModel } from './models';
import { publishModel } from './publish';
import { writeJob } from './accelerator/exportJob';
import { exportWithWeights } from './step/export';
import { serializeModel } from '../models/onnx/serialize';
import { ModelRunner, type RoleInputs } from './eval/runner';
import { wholePhotoPanels, wholePhotoScores } from './eval/colorize';
import { DEFAULT_WORKING_SIZE } from '../electron/engine/tasks/colorize';
import { SIGMAS } from './eval/pairs';
import { blindBaseOptions, blindLevelOf } from './fineTune';
import { MIN_GAIN_DB, verdict } from './verdict';
import { pseudoCleanLevel, toPlanar, transplantSource } from './data/noisyCollection';
import { centerCrop, extractCrop } from './data/augment';
import { makeSample } from './data/tasks';
import type { Planar } from './data/degrade';
import type { TrainImage } from './data/images';
import { Rng } from './rng';
import { stepSeed } from './data/loader';
import { writePanels } from './pictures';
import { labSplit } from './data/degrade';
import { labPlanes } from './eval/colorize';

export type TrainEvent = StepEvent | ValidationEvent | CheckpointEvent | TrainDoneEvent | SplitEvent | PrepareEvent | PreviewEvent | PausedEvent | TrainResultEvent;

export interface TrainOptions {
  task: TaskName;
  /** One or more folders of photos (searched recursively). */
  data: string | string[];
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
  /** 'l1-chroma': k of the per-pixel weight 1 + k x chroma (default CHROMA_WEIGHT, training/step/losses.ts). */
  chromaWeight?: number;
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
  /** Detect-damage: shares of thin procedural scratches among the damage layers and of gray patches. */
  damageMix?: DamageMix;
  /** Colorize: colour-point counts per frame of this side, scaled to the patch (colorizeSample.ts). */
  hintFrame?: number;
  command: string;
  onEvent: (e: TrainEvent) => void;
  signal?: AbortSignal;
  /** Write an accelerator job folder (training/accelerator) for this run instead of training. */
  exportJob?: string;
  /** Denoise fine-tuning: the photos are noisy and have no clean copies; learn from their own
   * noise (data/noisyCollection.ts). The model gets a fixed noise level (manifest noiseLevel). */
  noisy?: boolean;
  /** Aborted: checkpoint at the current step and stop without exporting (`paused` event). */
  pause?: AbortSignal;
  /** Write before/after pictures of held-out photos here (preview-*.png, result-*.png). */
  previewDir?: string;
}

export interface TrainResult {
  adopted: boolean; bestPsnr: number; basePsnr: number | null; steps: number; out: string | null;
  /** Files written when `exportJob` was set. */
  jobFiles?: string[];
  /** Stopped by `pause`: the checkpoint holds the run. */
  paused?: boolean;
  /** Why the model was not adopted. */
  reason?: string;
}

/** Held-out pictures: a window of at most this side (model input pixels). */
const PICTURE_SIDE = 192;
/** At most this many held-out photos get a result picture. */
const RESULT_PICTURES = 8;

/** The nearest common folder of several folders. */
function commonFolder(folders: string[]): string {
  const parts = folders.map((f) => path.resolve(f).split(path.sep));
  const first = parts[0] ?? [];
  let n = 0;
  while (n < first.length && parts.every((p) => p[n] === first[n])) n++;
  return first.slice(0, n).join(path.sep) || path.sep;
}

/** An inference runner for the model being trained with the given weights (base weights: null). */
async function runnerFor(start: StartModel, weights: Map<string, Float32Array> | null, o: TrainOptions): Promise<ModelRunner> {
  const model = weights ? exportWithWeights(start.model, weights) : start.model;
  return ModelRunner.fromBytes(
    { id: start.base?.id ?? 'model', inputs: start.inputs, output: start.output, multipleOf: start.multipleOf, scale: start.scale, receptiveField: start.receptiveField },
    serializeModel(model), { threads: o.threads, provider: o.provider },
  );
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

export async function train(options: TrainOptions): Promise<TrainResult> {
  const t0 = Date.now();
  const o: TrainOptions = { ...options, ...blindBaseOptions(options) };
  /** A blind base's one noise level (manifest noiseLevel): a --noisy fine-tune keeps it too. */
  const blindLevel = blindLevelOf(o);
  const folders = Array.isArray(o.data) ? o.data : [o.data];
  if (folders.length === 0) throw new Error('no data folder given');
  const dataLabel = folders.join(', ');
  const files = [...new Set((await Promise.all(folders.map((f) => listImages(f)))).flat())].sort();
  if (files.length < 2) throw new Error(`${dataLabel}: needs at least 2 images (found ${files.length})`);
  const split = splitFiles(files, folders.length === 1 ? folders[0]! : commonFolder(folders), o.valFraction, o.seed, 2);
  const imageInput = o.start.inputs.find((i) => i.role === 'image');
  const noiseInput = o.start.inputs.find((i) => i.role === 'noise_level');
  const channels: 1 | 3 = o.task === 'colorize' ? 3 : imageInput?.channels === 1 ? 1 : 3;
  if ((o.colorAug || o.colorRotate) && channels !== 3) throw new Error('colour augmentation needs a colour (3-channel) model');
  if (o.noisy && (o.task !== 'denoise' || !o.start.base || !noiseInput)) throw new Error('--noisy fine-tunes a denoiser with a noise-level input (--task denoise --base <model>)');
  if (o.noisy && options.oldPrint) throw new Error('--noisy and --old-print exclude each other');
  // Upscale adds noise only when asked (robust variant); denoise defaults to 0-75 with a noise map, else 25.
  const sigma = o.task === 'upscale' ? o.sigma : o.sigma ?? (noiseInput ? [0, 75] : 25);
  const cfg: TaskConfig = {
    task: o.task, channels, patch: o.patch, scale: o.start.scale, sigma, inputs: o.start.inputs, quantize: o.task === 'upscale' ? true : o.quantize ?? false,
    jpegQuality: o.jpegQuality, poissonPeak: o.poissonPeak, blur: o.blur, colorAug: o.colorAug, colorRotate: o.colorRotate,
    damage: o.damage ? await loadDamageLibrary(o.damage) : undefined,
    ...(o.damageMix ? { damageMix: o.damageMix } : {}),
    ...(o.hintFrame ? { hintFrame: o.hintFrame } : {}),
    ...(o.oldPrint ? { oldPrint: true } : {}),
  };
  const minSize = o.noisy ? o.patch + 32 : sourcePatch(cfg);
  const colourOnly = o.task === 'colorize';
  const tr = await loadTrainImages(split.train, channels, minSize, 4, colourOnly);
  const va = await loadTrainImages(split.val, channels, minSize, 4, colourOnly);
  const monochrome = [...tr.skipped, ...va.skipped].filter((s) => s.endsWith(MONOCHROME_SKIP)).length;
  if (colourOnly && monochrome > 0 && (tr.images.length === 0 || va.images.length === 0)) {
    throw new Error(`${dataLabel}: ${monochrome} of the ${files.length} photos are ${MONOCHROME_SKIP}; ${tr.images.length + va.images.length} colour photos are too few to learn from and check on`);
  }
  if (tr.images.length === 0) throw new Error(`${dataLabel}: no usable training images (${tr.skipped[0] ?? 'none at least ' + minSize + ' px'})`);
  if (va.images.length === 0) throw new Error(`${dataLabel}: no usable held-out images (${va.skipped[0] ?? 'none'})`);
  const megapixels = [...tr.images, ...va.images].reduce((a, i) => a + i.width * i.height, 0) / 1e6;
  o.onEvent({ type: 'split', train: tr.images.map((i) => i.file), heldOut: va.images.map((i) => i.file), megapixels: Number(megapixels.toFixed(2)), skipped: [...tr.skipped, ...va.skipped] });

  // --noisy: the base makes pseudo-clean photos and a bank of the collection's own noise.
  let trainImages: TrainImage[] = tr.images;
  let valImages: TrainImage[] = va.images;
  let valCfg: TaskConfig = cfg;
  let pseudoLevel: number | undefined;
  if (o.noisy) {
    const baseRunner = await runnerFor(o.start, null, o);
    try {
      const total = tr.images.length + va.images.length + 1;
      let done = 0;
      const denoise = (image: Planar, level: number): Promise<Planar> =>
        baseRunner.run({ image, noise_level: { c: 1, h: image.h, w: image.w, data: new Float32Array(image.h * image.w).fill((blindLevel ?? level) / 255) } });
      o.onEvent({ type: 'prepare', stage: 'measuring the noise', done, total });
      pseudoLevel = blindLevel ?? (await pseudoCleanLevel(tr.images.slice(0, 4).map(toPlanar), denoise, o.patch + 32)).level;
      const step = async <T>(f: () => Promise<T>): Promise<T> => {
        const r = await f();
        o.onEvent({ type: 'prepare', stage: 'pseudo-clean photos and noise bank', done: ++done, total });
        return r;
      };
      const source = async (images: TrainImage[]): Promise<Awaited<ReturnType<typeof transplantSource>>> => {
        const parts = [];
        for (const img of images) parts.push(await step(() => transplantSource([{ file: img.file, image: toPlanar(img) }], denoise, pseudoLevel!, o.patch + 32, o.patch)));
        return { clean: parts.flatMap((p) => p.clean), validation: parts.flatMap((p) => p.validation), bank: { c: channels, size: o.patch + 32, tiles: parts.flatMap((p) => p.bank.tiles) } };
      };
      const trSrc = await source(tr.images);
      const vaSrc = await source(va.images);
      trainImages = trSrc.clean;
      valImages = vaSrc.validation;
      cfg.noiseBank = trSrc.bank;
      valCfg = { ...cfg, noiseBank: vaSrc.bank };
      cfg.sigma = pseudoLevel;
      o.onEvent({ type: 'prepare', stage: 'pseudo-clean photos and noise bank', done: total, total });
    } finally {
      await baseRunner.release();
    }
  }

  const shapes = batchShapes(cfg, o.batch);
  const sm = await buildStepModel(o.start.model, { loss: o.loss, ...(o.chromaWeight !== undefined ? { chromaWeight: o.chromaWeight } : {}), inputs: shapes.inputs, output: o.start.output.name, optimizer: { kind: 'adam', clipNorm: 1 } });
  const configKey = createHash('sha256').update(JSON.stringify({
    task: o.task, train: split.train, params: sm.params.map((p) => [p.name, p.dims]), batch: o.batch, patch: o.patch,
    seed: o.seed, loss: o.loss, sigma: o.noisy ? undefined : sigma, scale: cfg.scale, jpeg: o.jpegQuality, poisson: o.poissonPeak, blur: o.blur,
    ...(o.quantize ? { quantize: o.quantize } : {}),
    ...(o.colorAug ? { colorAug: o.colorAug } : {}),
    ...(o.colorRotate ? { colorRotate: o.colorRotate } : {}),
    ...(cfg.damage ? { damage: cfg.damage.masks.length } : {}),
    ...(o.damageMix ? { damageMix: o.damageMix } : {}),
    ...(o.hintFrame ? { hintFrame: o.hintFrame } : {}),
    ...(o.chromaWeight !== undefined && o.chromaWeight !== CHROMA_WEIGHT ? { chromaWeight: o.chromaWeight } : {}),
    ...(o.oldPrint ? { oldPrint: true } : {}),
    ...(o.noisy ? { noisy: pseudoLevel } : {}),
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
  const runners: ModelRunner[] = [];
  try {
    const val = await validationSet(valImages, valCfg, o.seed);
    const clip = o.start.output.role === 'image';
    const dimsOf = (d: Float32Array): number[] => [1, d.length / (o.patch * o.patch), o.patch, o.patch];
    const meanOf = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    /** Mean PSNR of the weights being trained on the validation crops. */
    const validate = async (): Promise<number> => {
      const out: number[] = [];
      for (const b of val) {
        const inputs = Object.fromEntries(Object.entries(b.inputs).map(([k, d]) => [k, { data: d, dims: dimsOf(d) }]));
        const y = await session.predict(inputs);
        out.push(psnrOf(y.data, b.target, clip));
      }
      return meanOf(out);
    };
    // --noisy: the model gets one fixed level, the base's best on the held-out pairs.
    const setLevel = (level: number): void => {
      cfg.sigma = level;
      for (const b of val) if (noiseInput) b.inputs[noiseInput.name]!.fill(level / 255);
    };
    const sched = { base: o.lr, warmupSteps: o.warmup, totalSteps: o.steps, minFactor: 0.05 };
    if (o.exportJob) {
      const refBatch = await trainingBatch(trainImages, cfg, o.batch, o.seed, meta.step);
      const jobFiles = await writeJob({
        dir: o.exportJob, step: sm, cfg, batch: o.batch, seed: o.seed, schedule: sched, dataRoot: folders[0]!, trainFiles: trainImages.map((i) => i.file),
        configKey, loss: o.loss, checkpoint: { meta, state: session.snapshot(), best },
      }, session, refBatch, learningRate(sched, meta.step));
      return { adopted: false, bestPsnr: meta.bestPsnr, basePsnr: meta.basePsnr, steps: meta.step, out: null, jobFiles };
    }
    if (o.noisy && meta.noiseLevel !== undefined) setLevel(meta.noiseLevel);
    if (!o.resume && o.start.base) {
      if (o.noisy) {
        // The base at every manual strength on the held-out pairs (a blind base: at its one): the best one is the line to beat.
        let bestLevel = SIGMAS[0]!, bestPsnr = -Infinity;
        for (const s of blindLevel !== undefined ? [blindLevel] : SIGMAS) {
          setLevel(s);
          const psnr = await validate();
          if (psnr > bestPsnr) { bestLevel = s; bestPsnr = psnr; }
        }
        setLevel(bestLevel);
        meta.noiseLevel = bestLevel;
        meta.basePsnr = bestPsnr;
      } else {
        meta.basePsnr = await validate();
      }
      meta.bestPsnr = meta.basePsnr;
      o.onEvent({ type: 'validation', step: 0, psnr: meta.basePsnr, basePsnr: meta.basePsnr });
    }
    if (o.resume && (meta.bestPsnr === null || !Number.isFinite(meta.bestPsnr))) {
      // A checkpoint whose weights were never validated (e.g. written by an accelerator job).
      meta.bestPsnr = await validate();
      meta.bestStep = meta.step;
      best = new Map([...session.weights()].map(([k, v]) => [k, Float32Array.from(v)]));
      o.onEvent({ type: 'validation', step: meta.step, psnr: meta.bestPsnr, ...(meta.basePsnr !== null ? { basePsnr: meta.basePsnr } : {}) });
    }

    // Pictures of held-out photos (image-output tasks): the input, the base's output, the model's.
    const pictures = o.previewDir && (o.start.output.role === 'image' || o.start.output.role === 'ab') ? await heldOutPictures(o, cfg, va.images, valImages, pseudoLevel !== undefined) : null;
    const baseRunner = pictures && o.start.base ? await runnerFor(o.start, null, o) : null;
    if (baseRunner) runners.push(baseRunner);
    /** The base's panel of a picture: its weights never change, so it is computed once. */
    const basePanel = async (p: HeldOutPicture): Promise<Planar[]> => {
      if (!baseRunner) return [];
      p.base ??= p.render(await baseRunner.run(p.byRole));
      return [p.base];
    };
    const preview = async (step: number): Promise<void> => {
      if (!pictures || !o.previewDir || pictures.length === 0) return;
      const p = pictures[0]!;
      const current = await session.predict(p.byName);
      const panels = [p.shown, ...(await basePanel(p)), p.render(planarOf(current)), ...(p.reference ? [p.reference] : [])];
      const file = path.join(o.previewDir, `preview-${step}.png`);
      await writePanels(file, panels);
      o.onEvent({ type: 'preview', step, path: file, image: p.file });
    };
    if (!o.resume) await preview(meta.step);

    const stream = new BatchStream(trainImages, cfg, o.batch, o.seed);
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
      if (o.pause?.aborted) {
        await saveCheckpoint();
        o.onEvent({ type: 'paused', step: meta.step, checkpoint: o.checkpoint });
        return { adopted: false, bestPsnr: meta.bestPsnr, basePsnr: meta.basePsnr, steps: meta.step, out: null, paused: true };
      }
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
        o.onEvent({ type: 'validation', step: meta.step, psnr, ...(meta.basePsnr !== null ? { basePsnr: meta.basePsnr } : {}) });
        await preview(meta.step);
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
    const gained = meta.basePsnr === null ? null : meta.bestPsnr - meta.basePsnr;
    let adopted = gained === null || gained >= MIN_GAIN_DB;
    let reason = adopted ? undefined
      : `no better than the base ${o.start.base?.id ?? ''} on the ${val.length} held-out photos (best ${meta.bestPsnr.toFixed(2)} dB vs ${meta.basePsnr!.toFixed(2)} dB${o.noisy ? ' at its best strength' : ''})`;

    // Per held-out photo: the base (from the start of the run) against the exported weights.
    const bestRunner = await runnerFor(o.start, best, o);
    runners.push(bestRunner);
    let baseFull = baseRunner;
    const baseForCheck = async (): Promise<ModelRunner> => {
      if (!baseFull) runners.push((baseFull = await runnerFor(o.start, null, o)));
      return baseFull;
    };
    // The verdict is taken on pairs that did not choose the best weights. A colourizer fine-tune is
    // judged and shown on the held-out photos colourized whole (automatic and with 10 points), as
    // restore eval scores them: a fine-tune on faces gained 1.1 dB on the centre crops its
    // validation sees and lost 0.9 dB on the whole photos. The other tasks: on fresh crops of the
    // held-out photos (data/loader.ts checkSet), the base at the same noise level as in validation.
    // Scores per held-out photo: one (whole) or one per crop.
    let check: { base: number[][] | null; model: number[][]; measure: 'whole' | 'crops'; what: string };
    if (o.task === 'colorize' && o.start.base) {
      const files = va.images.map((i) => i.file);
      const side = o.start.base.workingSize ?? DEFAULT_WORKING_SIZE;
      const base = await baseForCheck();
      const each = (xs: number[]): number[][] => xs.map((x) => [x]);
      check = {
        base: each(await wholePhotoScores(base, files, [0, 10], side)), model: each(await wholePhotoScores(bestRunner, files, [0, 10], side)),
        measure: 'whole', what: `the ${files.length} held-out photos colourized whole (automatic and with 10 points)`,
      };
    } else {
      const sets = await checkSet(valImages, valCfg, o.seed);
      if (o.noisy && meta.noiseLevel !== undefined && noiseInput) for (const set of sets) for (const b of set) b.inputs[noiseInput.name]!.fill(meta.noiseLevel / 255);
      const scores = async (runner: ModelRunner): Promise<number[][]> => {
        const out: number[][] = [];
        for (const set of sets) {
          const photo: number[] = [];
          for (const b of set) {
            const roles: RoleInputs = {};
            for (const inp of o.start.inputs) {
              const d = b.inputs[inp.name];
              if (d) roles[inp.role] = { c: inp.channels, h: o.patch, w: o.patch, data: d };
            }
            photo.push(psnrOf((await runner.run(roles)).data, b.target, clip));
          }
          out.push(photo);
        }
        return out;
      };
      check = {
        base: o.start.base ? await scores(await baseForCheck()) : null, model: await scores(bestRunner),
        measure: 'crops', what: `${CHECK_CROPS} fresh crops of each of the ${sets.length} held-out photos${o.noisy ? ', the base at its best strength' : ''}`,
      };
    }
    const checkBase = check.base ? meanOf(check.base.flat()) : null;
    const checkModel = meanOf(check.model.flat());
    const judged = check.base ? verdict(check.base.flat(), check.model.flat()) : null;
    if (adopted && judged && !judged.better) {
      adopted = false;
      reason = `no better than the base ${o.start.base?.id ?? ''} on ${check.what} (${checkModel.toFixed(2)} dB vs ${checkBase!.toFixed(2)} dB)`
        + (meta.basePsnr !== null ? `, although its validation crops gained ${(meta.bestPsnr - meta.basePsnr).toFixed(2)} dB` : '')
        + (judged.gain >= MIN_GAIN_DB ? `; its +${judged.gain.toFixed(2)} dB is within the scatter of those scores (two standard errors: ${judged.margin.toFixed(2)} dB)` : '');
    }
    const photos: TrainResultEvent['photos'] = [];
    for (const [i, scores] of check.model.entries()) {
      const base = check.base?.[i];
      const entry: TrainResultEvent['photos'][number] = { file: va.images[i]?.file ?? '', basePsnr: base ? meanOf(base) : null, psnr: meanOf(scores) };
      const p = pictures?.[i];
      if (p && o.previewDir && i < RESULT_PICTURES) {
        const file = path.join(o.previewDir, `result-${i}.png`);
        // a colourizer: the whole photo as scored (gray | base | fine-tuned | the photo, automatic)
        const panels = check.measure === 'whole' && va.images[i]
          ? await wholePhotoPanels([await baseForCheck(), bestRunner], va.images[i].file, o.start.base?.workingSize ?? DEFAULT_WORKING_SIZE)
          : [p.shown, ...(await basePanel(p)), p.render(await bestRunner.run(p.byRole)), ...(p.reference ? [p.reference] : [])];
        await writePanels(file, panels);
        entry.picture = file;
      }
      photos.push(entry);
    }
    o.onEvent({
      type: 'result', photos, reference: o.noisy ? 'self' : 'clean', basePsnr: checkBase, psnr: checkModel, measure: check.measure,
      ...(check.measure === 'crops' ? { crops: CHECK_CROPS } : {}),
      ...(o.noisy && meta.noiseLevel !== undefined ? { noiseLevel: meta.noiseLevel } : {}),
    });
    const seconds = secondsBefore + (Date.now() - t0) / 1000;
    if (adopted) {
      await publishModel({
        task: o.task, out: o.out, weights: best, start: o.start, data: dataLabel, steps: meta.bestStep, seed: o.seed, seconds,
        command: o.command, heldOut: { images: check.model.length, psnr: checkModel, basePsnr: checkBase, protocol: check.measure === 'whole' ? 'colourized whole, automatic and with 10 points' : `${CHECK_CROPS} fresh crops per photo, as trained` },
        sigmaRange: o.task !== 'denoise' || sigma === undefined || o.oldPrint || o.noisy ? undefined : Array.isArray(sigma) ? sigma : [sigma, sigma],
        noiseLevel: o.noisy ? meta.noiseLevel : (o.oldPrint || blindLevel !== undefined) && typeof sigma === 'number' ? sigma : undefined,
        ...(o.oldPrint ? { degradations: ['old-print' as const] } : {}),
      });
    }
    o.onEvent({ type: 'done', out: adopted ? o.out : '', bestPsnr: meta.bestPsnr, adopted, basePsnr: meta.basePsnr, ...(reason ? { reason } : {}) });
    return { adopted, bestPsnr: meta.bestPsnr, basePsnr: meta.basePsnr, steps: meta.step, out: adopted ? o.out : null, ...(reason ? { reason } : {}) };
  } finally {
    for (const r of runners) await r.release();
    await session.release();
  }
}

function planarOf(t: { data: Float32Array; dims: number[] }): Planar {
  return { c: t.dims[1]!, h: t.dims[2]!, w: t.dims[3]!, data: Float32Array.from(t.data) };
}

interface HeldOutPicture {
  file: string;
  /** What is shown as the input panel. */
  shown: Planar;
  reference: Planar | null;
  /** The model's output as a picture (colourization: ab joined with the window's L). */
  render: (out: Planar) => Planar;
  /** The model's inputs for the window, by input name (a session) and by role (a runner). */
  byName: Record<string, { data: Float32Array; dims: number[] }>;
  byRole: RoleInputs;
  /** The base model's panel, once computed. */
  base?: Planar;
}

/** A centre window of each held-out photo with the model's inputs for it: synthetic degradation of
 * the photo (seeded per photo), or with --noisy the real noisy photo itself (no reference) at the
 * fixed level already chosen (cfg.sigma). */
async function heldOutPictures(o: TrainOptions, cfg: TaskConfig, originals: TrainImage[], sources: TrainImage[], noisy: boolean): Promise<HeldOutPicture[]> {
  const out: HeldOutPicture[] = [];
  for (const [i, img] of (noisy ? originals : sources).entries()) {
    if (i >= RESULT_PICTURES) break;
    const m = o.start.multipleOf, s = o.start.scale;
    const side = Math.floor(Math.min(PICTURE_SIDE * s, img.width, img.height) / (m * s)) * m;
    if (side < m) continue;
    const pcfg: TaskConfig = { ...cfg, patch: side };
    const src = sourcePatch(pcfg);
    const clean = new Float32Array(cfg.channels * src * src);
    extractCrop(img, centerCrop(img, src), clean);
    let inputs: Record<string, Float32Array>;
    let reference: Planar | null;
    let render = (out: Planar): Planar => out;
    let shownOverride: Planar | null = null;
    if (o.task === 'colorize') {
      // Automatic mode (no colour points): the window's L in, ab out, shown joined with that L.
      const { luma } = labSplit({ c: 3, h: src, w: src, data: clean });
      inputs = Object.fromEntries(o.start.inputs.map((x) => [x.name, x.role === 'luma' ? luma : new Float32Array(x.channels * side * side)]));
      reference = { c: 3, h: src, w: src, data: clean };
      shownOverride = labPlanes(luma, null, side, side);
      render = (out) => labPlanes(luma, out.data, side, side);
    } else if (noisy) {
      const level = typeof cfg.sigma === 'number' ? cfg.sigma : 25;
      inputs = Object.fromEntries(o.start.inputs.map((inp) => [inp.name, inp.role === 'noise_level' ? new Float32Array(side * side).fill(level / 255) : clean]));
      reference = null;
    } else {
      const sample = await makeSample(pcfg, { c: cfg.channels, h: src, w: src, data: clean }, new Rng(stepSeed(o.seed ^ 0x77777777, i)));
      inputs = sample.inputs;
      reference = { c: cfg.channels, h: src, w: src, data: sample.target };
    }
    const image = o.start.inputs.find((x) => x.role === 'image');
    const shownData = image ? inputs[image.name] : undefined;
    const shown = shownOverride ?? (image && shownData ? { c: image.channels, h: side, w: side, data: shownData } : null);
    if (!shown) continue;
    const byRole: RoleInputs = {};
    for (const x of o.start.inputs) {
      const d = inputs[x.name];
      if (d) byRole[x.role] = { c: x.channels, h: side, w: side, data: d };
    }
    out.push({
      file: (noisy ? originals : sources)[i]!.file,
      shown,
      reference,
      render,
      byName: Object.fromEntries(Object.entries(inputs).map(([k, d]) => [k, { data: d, dims: [1, d.length / (side * side), side, side] }])),
      byRole,
    });
  }
  return out;
}

/** True when `file` exists. */
export async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(() => true, () => false);
}
