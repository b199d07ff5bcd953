// Fine-tuning defaults: the settings a run starting from a trained base model gets when the user
// only picks photos (the app's Training view, and `restore train --base` without the options).
// Training from scratch wants a high peak learning rate, a long warm-up and a long cosine; a
// trained base wants a small step so its knowledge is adapted rather than overwritten (issue 15 reports a 1e-3
// fine-tune of denoise-gray on old prints lost 0.6 dB at the first validation and never got it
// back), frequent validation on the held-out photos, and an early stop once they stop improving.
// The base's own noise-level range (manifest sigmaRange) is kept, a blind denoiser's one level
// (manifest noiseLevel) too, an old-print base goes on learning old-print pairs (blindBaseOptions),
// and a colourizer's colour points are drawn per frame of its working size. `fineTuneOptions` builds a whole
// trainer configuration from a request, for the app's training host.
import os from 'node:os';
import { isOldPrintModel, type ManifestEntry, type TaskName } from '../models/manifest';
import { baseModel } from './models';
import type { TrainOptions } from './trainer';

export const FINE_TUNE_DEFAULTS = {
  lr: 1e-4,
  /** --noisy: the collection's noise is new to the base (correlated grain, JPEG), so a larger step. */
  noisyLr: 2e-4,
  warmup: 20,
  valEvery: 50,
  checkpointEvery: 50,
  /** Validations without improvement before stopping. */
  patience: 6,
  /** The schedule length of a run bounded by minutes only (the cosine barely decays within it). */
  stepsForMinutes: 100_000,
  /** Steps of a run bounded by neither minutes nor steps ("until it stops improving"). */
  steps: 20_000,
} as const;

/** The loss each task's shipped models were trained with (training/recipes). */
export const TASK_LOSS: Record<TaskName, TrainOptions['loss']> = {
  denoise: 'charbonnier', upscale: 'l1', colorize: 'l1-chroma', inpaint: 'l1', 'detect-damage': 'mask-mse',
};

/** Patch side per task (model-input pixels): colourization and repair need wide context. The
 * colourizer's last stage trained on 256-px patches (a whole portrait, most of a frame of its
 * working size); its fine-tunes keep that, so what they learn holds for whole photos. */
export const TASK_PATCH: Record<TaskName, number> = { denoise: 64, upscale: 32, colorize: 256, inpaint: 128, 'detect-damage': 128 };

/** Patches a step per task: 16, or as many pixels as 16 of 128² where the patch is larger. */
export const TASK_BATCH: Record<TaskName, number> = { denoise: 16, upscale: 16, colorize: 4, inpaint: 16, 'detect-damage': 16 };

/** A colourizer's fine-tune draws colour points per frame of the base's working size, as the base
 * was trained (training/data/colorizeSample.ts): as sparse as a user's points on a whole photo. */
export function baseHintFrame(task: TaskName, base: ManifestEntry): { hintFrame?: number } {
  return task === 'colorize' && base.workingSize ? { hintFrame: base.workingSize } : {};
}

export interface FineTuneRequest {
  task: TaskName;
  base: { entry: ManifestEntry; path: string };
  folders: string[];
  /** Where an adopted model is written (its manifest entry and card go in the same folder). */
  out: string;
  checkpoint: string;
  /** Denoise: the photos are noisy, with no clean copies (self-supervised). */
  noisy?: boolean;
  /** Stop after this many minutes (else when the held-out photos stop improving). */
  minutes?: number;
  resume?: string;
  previewDir?: string;
  threads?: number;
  provider?: TrainOptions['provider'];
  seed?: number;
  /** Anything else (tests use tiny patches and few steps). */
  overrides?: Partial<Omit<TrainOptions, 'onEvent'>>;
}

/** A denoising base's one noise level when it is blind (manifest noiseLevel), else undefined. */
export function blindLevelOf(o: { task: TaskName; start: { base?: ManifestEntry } }): number | undefined {
  return o.task === 'denoise' ? o.start.base?.noiseLevel : undefined;
}

/** What a fine-tune of a blind denoiser (manifest noiseLevel: old-print, or an earlier --noisy
 * fine-tune) learns unless told otherwise: at its base's one noise level (a blind model never gets
 * another), and from an old-print base (degradations 'old-print') on old-print pairs of the photos
 * (grain, screens, blur, fading: white noise would teach it another job). Noisy photos give their
 * own noise (the trainer holds them at the same level); from an old-print base it is the grain of
 * old-print pairs made from the pseudo-clean photos. {} for any other base. */
export function blindBaseOptions(o: { task: TaskName; start: { base?: ManifestEntry }; noisy?: boolean; oldPrint?: boolean; sigma?: number | [number, number] }): { sigma?: number; oldPrint?: boolean } {
  const level = blindLevelOf(o);
  if (level === undefined) return {};
  if (o.noisy) return isOldPrintModel(o.start.base!) ? { oldPrint: true } : {};
  if (Array.isArray(o.sigma)) throw new Error(`${o.start.base!.id} is a blind model with one noise level (${level}): give one fixed --sigma, not a range`);
  return { sigma: o.sigma ?? level, oldPrint: (o.oldPrint ?? false) || isOldPrintModel(o.start.base!) };
}

/** The trainer options of a fine-tuning request (everything but onEvent, signal and pause). */
export async function fineTuneOptions(req: FineTuneRequest): Promise<Omit<TrainOptions, 'onEvent'>> {
  const d = FINE_TUNE_DEFAULTS;
  const start = await baseModel(req.base.entry, req.base.path);
  const steps = req.minutes ? d.stepsForMinutes : d.steps;
  const command = [
    'restore train', `--task ${req.task}`, `--base ${req.base.entry.id}`, ...req.folders.map((f) => `--data ${JSON.stringify(f)}`),
    `--out ${JSON.stringify(req.out)}`, ...(req.noisy ? ['--noisy'] : []), ...(req.minutes ? [`--minutes ${req.minutes}`] : []),
  ].join(' ');
  return {
    task: req.task, data: req.folders, out: req.out, start, steps, minutes: req.minutes, resume: req.resume, checkpoint: req.checkpoint,
    seed: req.seed ?? 0, batch: TASK_BATCH[req.task], patch: TASK_PATCH[req.task], lr: req.noisy ? d.noisyLr : d.lr, warmup: d.warmup, loss: TASK_LOSS[req.task], valEvery: d.valEvery,
    valFraction: 0.1, patience: d.patience, checkpointEvery: d.checkpointEvery,
    threads: req.threads ?? Math.max(1, os.availableParallelism()), provider: req.provider ?? 'cpu',
    sigma: req.task === 'denoise' && !req.noisy ? req.base.entry.sigmaRange : undefined,
    ...baseHintFrame(req.task, req.base.entry),
    noisy: req.noisy ?? false, previewDir: req.previewDir, command,
    ...req.overrides,
  };
}
