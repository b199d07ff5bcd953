// The `--json` event stream of the CLI (DESIGN.md "Command line"): one JSON object per line on
// stdout, each with a `type`. Processing events come from the batch runner; training events
// (step, validation, checkpoint, done) are emitted by `restore train`/`eval`. A `debug` event
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

export type CliEvent = BatchEvent | StepEvent | ValidationEvent | CheckpointEvent | TrainDoneEvent | PlanEvent | ModelEvent | DebugEvent;

/** Serialises events one per line (non-finite numbers become null, as JSON requires). */
export function createEventWriter(write: (line: string) => void): (e: CliEvent) => void {
  return (e) => write(JSON.stringify(e) + '\n');
}

/** True when debug events are enabled in this environment. */
export function debugEventsEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.RESTORE_DEBUG_EVENTS === '1';
}
