// The `--json` event stream of the CLI (DESIGN.md "Command line"): one JSON object per line on
// stdout, each with a `type`. Processing events come from the batch runner; training events
// (split, prepare, step, validation, preview, checkpoint, paused, result, done) are emitted by `restore train`/`eval`. A `debug` event
// (only with RESTORE_DEBUG_EVENTS=1) exposes internals tests need, such as the engine's pid;
// `plan` (--dry-run) and `model` (restore models) list things rather than report progress.
import type { BatchEvent } from '../batch/events';

export type {
  BatchEvent,
  ProgressEvent,
  FileDoneEvent,
  FileSkippedEvent,
  FileFailedEvent,
  SummaryEvent,
} from '../batch/events';

export interface StepEvent {
  type: 'step';
  step: number;
  loss: number;
  lr: number;
  imagesPerSec: number;
}

export interface ValidationEvent {
  type: 'validation';
  step: number;
  psnr: number;
  /** Fine-tuning: the base model's held-out PSNR (the line to beat). */
  basePsnr?: number;
}

/** Training: how the photos were split (held-out ones are never trained on). */
export interface SplitEvent {
  type: 'split';
  train: string[];
  heldOut: string[];
  megapixels: number;
  /** Files left out, each with its reason. */
  skipped: string[];
}

/** Training: preparation before the first step (e.g. --noisy: pseudo-clean photos), done of total. */
export interface PrepareEvent {
  type: 'prepare';
  stage: string;
  done: number;
  total: number;
}

/** Training: a before/after picture of a held-out photo (input | base | model in training), PNG. */
export interface PreviewEvent {
  type: 'preview';
  step: number;
  path: string;
  image: string;
}

/** Training paused: checkpoint written, nothing exported; resume with --resume <checkpoint>. */
export interface PausedEvent {
  type: 'paused';
  step: number;
  checkpoint: string;
}

/** Training: base vs trained on each held-out photo (the final check: pairs that did not choose the
 * best weights), just before done. */
export interface TrainResultEvent {
  type: 'result';
  photos: Array<{ file: string; basePsnr: number | null; psnr: number; picture?: string }>;
  basePsnr: number | null;
  psnr: number;
  /** 'clean': against the photos themselves, degraded synthetically; 'self' (--noisy): against
   * pseudo-clean photos with the collection's own noise added (no clean originals exist). */
  reference: 'clean' | 'self';
  /** 'whole' (colourizer fine-tunes): each held-out photo colourized whole as the engine does,
   * the mean of automatic and 10 points from the reference, RGB; 'crops': `crops` fresh crops of
   * each held-out photo, other places and degradations than the validation crops (absent from
   * runs before it: the validation crops). */
  measure?: 'whole' | 'crops';
  /** measure 'crops': crops per photo. */
  crops?: number;
  /** --noisy: the fixed noise level the model is given (its manifest noiseLevel). */
  noiseLevel?: number;
}

export interface CheckpointEvent {
  type: 'checkpoint';
  step: number;
  path: string;
}

export interface TrainDoneEvent {
  type: 'done';
  out: string;
  bestPsnr: number;
  adopted: boolean;
  basePsnr?: number | null;
  /** Why the model was not adopted. */
  reason?: string;
}

/** `--dry-run --json`: one per planned file. */
export interface PlanEvent {
  type: 'plan';
  input: string;
  output: string;
  format: string;
  /** The output exists and would be skipped. */
  skip: boolean;
}

/** `restore models --json`: one per installed model. */
export interface ModelEvent {
  type: 'model';
  id: string;
  task: string;
  scale: number;
  parameters: number;
  architecture: string;
  path: string;
  evaluation: Array<{ set: string; psnr?: number; sigma?: number; scale?: number; protocol?: string; ssim?: number; f1?: number }>;
}

export interface DebugEvent {
  type: 'debug';
  event: string;
  [key: string]: string | number | boolean | null | undefined;
}

export type CliEvent = BatchEvent | StepEvent | ValidationEvent | CheckpointEvent | TrainDoneEvent | SplitEvent | PrepareEvent | PreviewEvent | PausedEvent | TrainResultEvent | PlanEvent | ModelEvent | DebugEvent;

/** Serialises events one per line (non-finite numbers become null, as JSON requires). */
export function createEventWriter(write: (line: string) => void): (e: CliEvent) => void {
  return (e) => write(JSON.stringify(e) + '\n');
}

/** True when debug events are enabled in this environment. */
export function debugEventsEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.RESTORE_DEBUG_EVENTS === '1';
}
