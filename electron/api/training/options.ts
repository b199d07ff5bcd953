// The trainer's options for a fine-tuning job of the app: the base model (resolved in the app's
// and the user's model folders and checked against its manifest sha256) and the request, turned
// into a whole trainer configuration by training/fineTune.ts (the fine-tuning defaults); test
// overrides are applied last. The host adds onEvent and the abort signals.
import { resolveModel, verifyModelFile } from '../../../models/registry';
import { fineTuneOptions } from '../../../training/fineTune';
import type { TrainOptions } from '../../../training/trainer';
import type { HostJob } from './protocol';

export type HostTrainOptions = Omit<TrainOptions, 'onEvent'>;

export async function buildTrainOptions(job: HostJob): Promise<HostTrainOptions> {
  const resolved = await resolveModel(job.base, job.task, job.modelDirs);
  await verifyModelFile(resolved.entry, resolved.path);
  return fineTuneOptions({
    task: job.task,
    base: { entry: resolved.entry, path: resolved.path },
    folders: job.folders,
    out: job.out,
    checkpoint: job.checkpoint,
    noisy: job.noisy,
    ...(job.minutes !== undefined ? { minutes: job.minutes } : {}),
    ...(job.resume ? { resume: job.resume } : {}),
    previewDir: job.previewDir,
    ...(job.threads ? { threads: job.threads } : {}),
    ...(job.overrides ? { overrides: job.overrides as Partial<HostTrainOptions> } : {}),
  });
}
