// Messages between the app (TrainingJobs, main side) and the training host process (host.ts):
// the app sends one `start` (a fresh run or a resume from a checkpoint), then possibly `pause`
// (checkpoint, then stop) or `cancel`; the host reports the run's plan, every trainer event as it
// is, and how the run ended. Plain JSON-able objects (child_process IPC or Electron's postMessage).
import type { TrainTaskName } from '../contract';

/** What the host needs to build the trainer's options (fineTuneOptions) and run it. */
export interface HostJob {
  task: TrainTaskName;
  /** Base model id, resolved in `modelDirs` (app folder first, then the user's). */
  base: string;
  modelDirs: string[];
  folders: string[];
  noisy: boolean;
  minutes?: number;
  untilNoGain?: boolean;
  /** The staged model (job folder): an adopted run writes its ONNX, manifest entry and card beside it. */
  out: string;
  checkpoint: string;
  previewDir: string;
  /** Continue from this checkpoint (same options, so the same configuration key). */
  resume?: string;
  threads?: number;
  /** Trainer option overrides (tests: tiny patch, batch and step counts). */
  overrides?: Record<string, unknown>;
}

export type ToHost = { type: 'start'; job: HostJob } | { type: 'pause' } | { type: 'cancel' };

/** A trainer event as training/trainer.ts emits it (the CLI's --json events). */
export interface HostTrainEvent {
  type: string;
  [key: string]: unknown;
}

export type FromHost =
  | { type: 'plan'; steps: number; minutes: number | null; valEvery: number; checkpointEvery: number; batch: number }
  | { type: 'event'; event: HostTrainEvent }
  | { type: 'finished'; paused: boolean; adopted: boolean; bestPsnr: number; basePsnr: number | null; steps: number; out: string | null }
  | { type: 'failed'; message: string };
