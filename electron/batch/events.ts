// Events of a batch run, as DESIGN.md's `--json` contract names them (progress, file-done,
// file-skipped, file-failed, summary). The CLI prints them as JSON lines; the UI relays them as
// its progress union. Extra fields beyond the contract's are allowed and marked optional.
import type { ActiveProvider, ProcessFileResult } from '../engine/protocol';

export interface ProgressEvent {
  type: 'progress';
  done: number;
  total: number;
  /** Seconds left; null until the first measurements. */
  etaSeconds: number | null;
  /** 0..1 of the work to do, the current file's tiles included. */
  fraction: number;
  /** File being processed. */
  current?: string;
}

export interface FileDoneEvent {
  type: 'file-done';
  input: string;
  output: string;
  seconds: number;
  provider?: ProcessFileResult['provider'];
  steps?: ProcessFileResult['steps'];
  /** Frames or pages of the input when more than one (only the first was processed). */
  frames?: number;
  /** One sentence the user should know about this result (also printed on stderr by the CLI). */
  note?: string;
  /** The output existed but was made with other settings: why it was redone. */
  redone?: string;
  /** `restore split-scan`: every file written for the scan (`output` is the first), and how many prints. */
  outputs?: string[];
  prints?: number;
}

export interface FileSkippedEvent {
  type: 'file-skipped';
  input: string;
  output: string;
  reason: string;
  /** Extra: the output's processing record shows these steps ('same'), or it was not made by `restore` ('foreign': kept as it is). */
  record?: 'same' | 'foreign';
}

export interface FileFailedEvent {
  type: 'file-failed';
  input: string;
  /** One line naming the file and the reason. */
  error: string;
}

export interface SummaryEvent {
  type: 'summary';
  done: number;
  skipped: number;
  failed: number;
  seconds: number;
  provider: ActiveProvider;
  /** True when the run was cancelled; `remaining` files were not processed. */
  interrupted: boolean;
  remaining: number;
  /** With `--shard K/N`: which shard this run processed (counts are the shard's). */
  shard?: { index: number; count: number };
}

export type BatchEvent = ProgressEvent | FileDoneEvent | FileSkippedEvent | FileFailedEvent | SummaryEvent;
