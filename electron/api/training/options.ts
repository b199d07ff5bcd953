// The trainer's options for a fine-tuning job of the app: the base model (resolved and checked
// against its manifest sha256), the user's folders and budget, and the fine-tuning defaults.
// Overrides (tests) are applied last. The result has everything train() needs but onEvent and
// the abort signals, which the host adds.
import os from 'node:os';
import { resolveModel, verifyModelFile } from '../../../models/registry';
import { baseModel } from '../../../training/models';
import type { TrainOptions } from '../../../training/trainer';
import type { HostJob } from './protocol';

export type HostTrainOptions = Omit<TrainOptions, 'onEvent' | 'signal' | 'data'> & {
  data: string | string[];
  noisy?: boolean;
  previewDir?: string;
};

/** Fine-tuning defaults (until training/fineTune.ts provides them): a small learning rate, no warm-up, frequent checkpoints. */
const FINE_TUNE = { steps: 2000, lr: 5e-5, warmup: 0, batch: 8, patch: 64, valEvery: 50, checkpointEvery: 25, valFraction: 0.2, seed: 0 } as const;

export async function buildTrainOptions(job: HostJob): Promise<HostTrainOptions> {
  const resolved = await resolveModel(job.base, job.task, job.modelDirs);
  await verifyModelFile(resolved.entry, resolved.path);
  const start = await baseModel(resolved.entry, resolved.path);
  const options: HostTrainOptions = {
    task: job.task,
    data: job.folders.length === 1 ? job.folders[0]! : job.folders,
    out: job.out,
    start,
    steps: FINE_TUNE.steps,
    ...(job.minutes !== undefined ? { minutes: job.minutes } : {}),
    checkpoint: job.checkpoint,
    noisy: job.noisy,
    previewDir: job.previewDir,
    seed: FINE_TUNE.seed,
    batch: FINE_TUNE.batch,
    patch: FINE_TUNE.patch,
    lr: FINE_TUNE.lr,
    warmup: FINE_TUNE.warmup,
    loss: 'charbonnier',
    valEvery: FINE_TUNE.valEvery,
    valFraction: FINE_TUNE.valFraction,
    patience: job.untilNoGain ? 4 : 0,
    checkpointEvery: FINE_TUNE.checkpointEvery,
    threads: job.threads ?? Math.max(1, os.cpus().length - 1),
    command: `Restore Studio fine-tune of ${job.base} on ${job.folders.join(', ')}`,
    ...(job.overrides as Partial<HostTrainOptions> | undefined),
  };
  if (job.resume) options.resume = job.resume;
  return options;
}
