// The batch runner: drives an engine (EngineClient) file by file through a planned list of
// inputs and outputs. Reusable by the CLI and the UI. Per-file errors are isolated (file-failed
// with the engine's one-line message, the batch goes on); an output that already exists is
// skipped (resume after an interruption) unless `overwrite`, or redone (file-done `redone`: why)
// when its processing record shows other steps or settings (engine/record.ts); progress with time left is emitted
// after every file and, throttled, as tiles complete. Two cancellation signals: `stopAfterCurrent`
// lets the running file finish, `signal` cancels it at once; an optional `gate` pauses between
// files. Nothing partial ever reaches a final
// path: the engine's writes are atomic (temporary file + rename), and the stale temporaries a
// killed run left are removed from each output folder as the batch reaches it. An optional
// `confine` (the app and web bridge: batchConfine.ts) maps each file to the real paths it may
// read and write, checked before anything touches the file and again right before the engine
// reads and writes it; a refusal is that file's failure.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type {
  BitDepth,
  FileProgress,
  ProcessFileRequest,
  ProcessFileResult,
  ProviderStatus,
  TaskStep,
} from '../engine/protocol';
import type { BatchEvent, SummaryEvent } from './events';
import type { PlannedFile } from './plan';
import { ProgressTracker } from './progress';
import { sweepStaleTemporaries } from '../imageio/tempfiles';
import { ensureFolder } from '../imageio/atomic';
import { readProcessingRecord } from '../imageio/probe';
import { compareRecord } from '../engine/record';

/** What the runner needs of the engine (EngineClient implements it). */
export interface BatchEngine {
  readonly provider: ProviderStatus;
  processFile(req: ProcessFileRequest, onProgress?: (p: FileProgress) => void): Promise<ProcessFileResult>;
  cancel(jobId: string): void;
}

export interface BatchOptions {
  files: PlannedFile[];
  steps: TaskStep[];
  depth?: BitDepth;
  quality?: number;
  keepMetadata?: boolean;
  tile?: number;
  /** Re-process files whose output exists (default false: skip them). */
  overwrite?: boolean;
  /** Relative cost per file (e.g. megapixels) for the time-left estimate. */
  weights?: ReadonlyArray<number | undefined>;
  /** Aborted: finish the current file, start no other. */
  stopAfterCurrent?: AbortSignal;
  /** Aborted: cancel the current file now. */
  signal?: AbortSignal;
  /**
   * After `signal` aborts, how long to wait for the file in flight to settle (default
   * CANCEL_GRACE_MS): an engine past the point where a cancel stops it (its final write) still
   * writes the output, which is then counted as done, so the summary matches the disk.
   */
  cancelGraceMs?: number;
  /**
   * Awaited before each file is started (pause: resolve on resume). Time spent waiting is not
   * counted as processing, so the time-left estimate survives a pause.
   */
  gate?: () => Promise<void>;
  onEvent: (e: BatchEvent) => void;
  /** Minimum milliseconds between tile-progress events (default 500). */
  progressIntervalMs?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
  /** The shard these files are (`--shard K/N`), echoed in the summary. */
  shard?: { index: number; count: number };
  /**
   * Called before a file is touched and again just before the engine runs it: returns the paths
   * to use (e.g. real paths inside the allowed folders) or throws (the file fails with its message).
   */
  confine?: (file: PlannedFile) => Promise<PlannedFile>;
}

/** 'file' | 'other' (a folder or device in the way) | 'none'. */
async function existing(file: string): Promise<'file' | 'other' | 'none'> {
  const st = await fs.stat(file).catch(() => null);
  return st === null ? 'none' : st.isFile() ? 'file' : 'other';
}

function errorLine(input: string, e: unknown): string {
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
  return message.includes(input) ? message : `${input}: ${message}`;
}

/** Settles like `work`, or rejects as soon as `signal` aborts (the listener is removed after). */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  let off = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    const fire = (): void => reject(new Error('cancelled'));
    if (signal.aborted) fire();
    signal.addEventListener('abort', fire, { once: true });
    off = () => signal.removeEventListener('abort', fire);
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    off();
  }
}

/** Default of BatchOptions.cancelGraceMs. */
export const CANCEL_GRACE_MS = 3000;

/** The value of `work` if it resolves within `ms`; undefined if it rejects or takes longer. */
async function settleWithin<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([work.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the batch to the end (or until cancelled) and returns its summary (also emitted). */
export async function runBatch(engine: BatchEngine, opts: BatchOptions): Promise<SummaryEvent> {
  const now = opts.now ?? Date.now;
  const started = now();
  const tracker = new ProgressTracker(opts.files.length, opts.weights);
  const interval = opts.progressIntervalMs ?? 500;
  const runId = randomBytes(4).toString('hex');
  let done = 0;
  let skipped = 0;
  let failed = 0;
  let lastProgress = -Infinity;
  let interrupted = false;

  const emitProgress = (current?: string): void => {
    lastProgress = now();
    const s = tracker.snapshot(lastProgress);
    opts.onEvent({ type: 'progress', done: s.done, total: s.total, etaSeconds: s.etaSeconds, fraction: s.fraction, ...(current ? { current } : {}) });
  };

  const swept = new Set<string>();
  for (const [index, file] of opts.files.entries()) {
    if (opts.signal?.aborted || opts.stopAfterCurrent?.aborted) {
      interrupted = true;
      break;
    }
    let target = file;
    if (opts.confine) {
      try {
        target = await opts.confine(file);
      } catch (e) {
        tracker.skip(index);
        failed += 1;
        opts.onEvent({ type: 'file-failed', input: file.input, error: errorLine(file.input, e) });
        continue;
      }
    }
    const outDir = path.dirname(target.output);
    if (!swept.has(outDir)) {
      swept.add(outDir);
      await sweepStaleTemporaries(outDir);
    }
    const present = await existing(target.output);
    if (present === 'other') {
      tracker.skip(index);
      failed += 1;
      opts.onEvent({ type: 'file-failed', input: file.input, error: `${file.input}: output ${file.output} exists and is not a file` });
      continue;
    }
    let redone: string | undefined;
    if (!opts.overwrite && present === 'file') {
      // Skipped only if made by these steps (its processing record says), or not made by us.
      const verdict = compareRecord(await readProcessingRecord(target.output), opts.steps);
      if (verdict.kind === 'changed') redone = verdict.reason;
      else {
        tracker.skip(index);
        skipped += 1;
        opts.onEvent({ type: 'file-skipped', input: file.input, output: file.output, reason: 'output exists', record: verdict.kind });
        continue;
      }
    }
    if (opts.gate) {
      try {
        await untilAborted(opts.gate(), opts.signal);
      } catch {
        interrupted = true;
        break;
      }
      if (opts.signal?.aborted || opts.stopAfterCurrent?.aborted) {
        interrupted = true;
        break;
      }
    }
    const jobId = `${runId}-${index}`;
    tracker.start(index, now());
    emitProgress(file.input);
    const onAbort = (): void => engine.cancel(jobId);
    opts.signal?.addEventListener('abort', onAbort);
    const t0 = now();
    let processing: Promise<ProcessFileResult> | undefined;
    const finished = (result: ProcessFileResult): void => {
      tracker.finish(index, now());
      done += 1;
      opts.onEvent({
        type: 'file-done',
        input: file.input,
        output: opts.confine ? file.output : result.output,
        seconds: result.seconds ?? (now() - t0) / 1000,
        provider: result.provider,
        steps: result.steps,
        ...(result.frames !== undefined ? { frames: result.frames } : {}),
        ...(result.note !== undefined ? { note: result.note } : {}),
        ...(redone !== undefined ? { redone } : {}),
      });
    };
    try {
      await ensureFolder(path.dirname(target.output), file.output); // a plain reason, e.g. read-only
      if (opts.confine) {
        // Checked again at the last moment: a link swapped in meanwhile is not followed.
        const again = await opts.confine(file);
        if (again.input !== target.input || again.output !== target.output) throw new Error(`${file.input}: its path changed while the batch ran (a link?): not processed`);
      }
      const req: ProcessFileRequest = {
        jobId,
        input: target.input,
        output: target.output,
        steps: opts.steps,
        format: file.format,
        ...(opts.depth !== undefined ? { depth: opts.depth } : {}),
        ...(opts.quality !== undefined ? { quality: opts.quality } : {}),
        ...(opts.keepMetadata !== undefined ? { keepMetadata: opts.keepMetadata } : {}),
        ...(opts.tile ? { tile: opts.tile } : {}),
      };
      processing = engine.processFile(req, (p) => {
        const stepFraction = p.tilesTotal > 0 ? p.tilesDone / p.tilesTotal : 0;
        tracker.update((p.step + stepFraction) / Math.max(1, p.steps));
        if (now() - lastProgress >= interval) emitProgress(file.input);
      });
      // Cancel now means now: stop waiting even if the engine is slow to honour the cancel.
      finished(await untilAborted(processing, opts.signal));
    } catch (e) {
      if (opts.signal?.aborted) {
        // The engine may be past honouring the cancel (its final write): a file it writes anyway
        // within the grace is counted, so the summary and batch-done match the disk.
        const late = processing ? await settleWithin(processing, opts.cancelGraceMs ?? CANCEL_GRACE_MS) : undefined;
        if (late) finished(late);
        interrupted = true;
        break;
      }
      tracker.finish(index, now());
      failed += 1;
      opts.onEvent({ type: 'file-failed', input: file.input, error: errorLine(file.input, e) });
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
    emitProgress();
  }
  if (opts.signal?.aborted || opts.stopAfterCurrent?.aborted) interrupted = interrupted || done + skipped + failed < opts.files.length;
  const summary: SummaryEvent = {
    type: 'summary',
    done,
    skipped,
    failed,
    seconds: Math.round((now() - started) / 10) / 100,
    provider: engine.provider.active,
    interrupted,
    remaining: opts.files.length - done - skipped - failed,
    ...(opts.shard ? { shard: { index: opts.shard.index, count: opts.shard.count } } : {}),
  };
  opts.onEvent(summary);
  return summary;
}
