// The Batch view's calls on the Node side: enumerate the chosen files and folders, plan outputs
// mirroring the input tree (electron/batch), run them through the engine with the batch runner
// in the background, and relay its events as the contract's batch-* events. Pause holds the next
// file back (PausableEngine); cancel stops at once; skip-existing resumes an interrupted run.
// Every file is confined to the allowed folders when it is read and written (batchConfine.ts):
// links leading outside are refused, in either direction. A skipped file's reason, a redone
// file's why and what its steps did (damage found, colour photo kept: batchOutcome.ts) reach the
// Batch view's list with the events.
import { describeOtherFiles, enumerateInputs } from '../batch/inputs';
import { checkPlanOnDisk, planOutputs, PlanError } from '../batch/plan';
import { overwritesInputMessage } from './outputWording';
import { runBatch } from '../batch/runner';
import type { BatchEvent } from '../batch/events';
import type { FolderAccess } from './access';
import type { EngineHost } from './engineHost';
import { PausableEngine } from './pausable';
import { confinePlannedFile } from './batchConfine';
import { stepOutcome } from './batchOutcome';
import type { Originals } from './originals';
import { ApiError, type ApiEvent, type ParsedArgsOf, type Settings } from './contract';

interface RunningBatch {
  engine: PausableEngine;
  abort: AbortController;
}

export class BatchJobs {
  private readonly running = new Map<string, RunningBatch>();

  constructor(
    private readonly access: FolderAccess,
    private readonly host: EngineHost,
    private readonly settings: () => Promise<Settings>,
    private readonly emit: (e: ApiEvent) => void,
    private readonly originals?: Originals,
  ) {}

  async start(args: ParsedArgsOf<'startBatch'>): Promise<{ jobId: string; total: number }> {
    const { jobId } = args;
    if (this.running.has(jobId)) throw new ApiError('invalid-argument', `startBatch: job ${jobId} is already running`);
    const inputs = await Promise.all(args.inputs.map((p) => this.access.check(p)));
    const output = await this.access.check(args.output);
    let plans;
    try {
      const { files, otherFiles } = await enumerateInputs(inputs, { recursive: args.recursive, cwd: output, exclude: [output] });
      if (files.length === 0) {
        const held = describeOtherFiles(...Object.values(otherFiles));
        throw new Error(`${args.inputs[0]}: no image files found${held ? `: ${held}` : ''}${args.recursive ? '' : ' (turn on subfolders?)'}`);
      }
      plans = planOutputs(files, { output, cwd: output, format: args.options.format, outputIsFolder: true, argCount: inputs.length });
      await checkPlanOnDisk(plans, [], output);
    } catch (e) {
      throw new ApiError('invalid-argument', e instanceof PlanError && e.overwrites ? overwritesInputMessage(e.overwrites) : (e as Error).message);
    }
    // Remembered as originals (an export never writes over them); in the background, as the batch starts.
    void this.originals?.addAll(plans.map((p) => p.input));
    const lease = await this.host.acquire(await this.settings());
    const engine = new PausableEngine(lease.engine, () => this.emit({ type: 'batch-state', jobId, state: 'paused' }));
    const abort = new AbortController();
    this.running.set(jobId, { engine, abort });
    const counts = { done: 0, skipped: 0, failed: 0, total: plans.length };
    let eta: number | null = null;
    const onEvent = (e: BatchEvent): void => {
      switch (e.type) {
        case 'progress':
          eta = e.etaSeconds;
          this.emit({ type: 'batch-progress', jobId, ...counts, etaSeconds: eta, ...(e.current ? { current: e.current } : {}), fileFraction: e.fraction });
          return;
        case 'file-done':
          counts.done += 1;
          this.emit({ type: 'batch-file', jobId, status: 'done', input: e.input, output: e.output, seconds: e.seconds, ...(e.redone ? { redone: e.redone } : {}), ...(e.note ? { note: e.note } : {}), ...stepOutcome(e.steps) });
          break;
        case 'file-skipped':
          counts.skipped += 1;
          this.emit({ type: 'batch-file', jobId, status: 'skipped', input: e.input, output: e.output, reason: e.reason, ...(e.record ? { record: e.record } : {}) });
          break;
        case 'file-failed':
          counts.failed += 1;
          this.emit({ type: 'batch-file', jobId, status: 'failed', input: e.input, error: e.error });
          break;
        case 'summary':
          return;
      }
      this.emit({ type: 'batch-progress', jobId, ...counts, etaSeconds: eta });
    };
    runBatch(engine, {
      files: plans,
      steps: args.steps,
      ...(args.options.depth !== undefined ? { depth: args.options.depth } : {}),
      ...(args.options.quality !== undefined ? { quality: args.options.quality } : {}),
      keepMetadata: args.options.keepMetadata,
      overwrite: !args.skipExisting,
      signal: abort.signal,
      confine: (file) => confinePlannedFile(this.access, file),
      onEvent,
    })
      .then((s) => this.emit({ type: 'batch-done', summary: { jobId, done: s.done, skipped: s.skipped, failed: s.failed, total: plans.length, seconds: s.seconds, state: s.interrupted ? 'cancelled' : 'finished' } }))
      .catch((e: unknown) => {
        this.emit({ type: 'log', level: 'error', message: `batch ${jobId}: ${(e as Error).message}` });
        this.emit({ type: 'batch-done', summary: { jobId, ...counts, seconds: 0, state: 'cancelled' } });
      })
      .finally(() => {
        this.running.delete(jobId);
        lease.release();
      });
    return { jobId, total: plans.length };
  }

  pause(jobId: string, paused: boolean): { paused: boolean } {
    const job = this.running.get(jobId);
    if (!job) throw new ApiError('not-found', `batch ${jobId} is not running`);
    // 'pausing' until the file in flight is done; the engine wrapper then reports 'paused'.
    if (paused) job.engine.pause();
    else job.engine.resume();
    this.emit({ type: 'batch-state', jobId, state: paused ? 'pausing' : 'running' });
    return { paused: job.engine.paused };
  }

  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    if (!job) return false;
    job.abort.abort();
    job.engine.stop();
    return true;
  }

  /** Ids of the batches running now. */
  runningIds(): string[] {
    return [...this.running.keys()];
  }

  cancelAll(): void {
    for (const id of this.running.keys()) this.cancel(id);
  }
}
