// The body shared by the four processing commands (denoise, upscale, colorize, inpaint): parse
// the common options, enumerate inputs, plan outputs, check that a model exists for each step,
// start the engine process, run the batch with progress and Ctrl-C handling, report, and map the
// outcome to the exit code (0 all written or skipped, 1 some failed or interrupted, 2 usage).
// Ctrl-C (SIGINT/SIGTERM) once: finish the current file and stop; twice: cancel it now. Writes are
// atomic, so an interruption never leaves a partial file at a final path. `--shard K/N` keeps the
// planned files of one shard (after the whole plan is checked, so every shard refuses the same
// unsafe plans); skipping, resume, --dry-run and the summary then concern that shard only.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { OutputFormat, TaskStep } from '../engine/protocol';
import { EngineClient } from '../engine/client';
import { probeImage, readProcessingRecord } from '../imageio/probe';
import { compareRecord } from '../engine/record';
import { describeOtherFiles, enumerateInputs, InputError } from '../batch/inputs';
import { checkPlanOnDisk, planOutputs, PlanError, type PlannedFile } from '../batch/plan';
import { shardPlans } from '../batch/shard';
import { runBatch } from '../batch/runner';
import type { BatchEvent } from '../batch/events';
import { COMMON_HELP, COMMON_OPTIONS, commonOptions, parseCommandArgs, UsageError, type CommonOptions } from './args';
import { debugEventsEnabled, createEventWriter } from './events';
import type { CliIO } from './io';
import { engineWorkerPath, modelFolders, userModelFolders } from '../paths';
import { createReporter } from './reporter';
import { checkModels, NoModelError } from './modelCheck';
import { onInterrupts } from './interrupts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ProcessCommandSpec<O extends Options> {
  name: string;
  usage: string;
  /** Command-specific options (added to the common ones) and their help lines. */
  options: O;
  optionsHelp: string;
  /** Builds the steps from the parsed values; throws UsageError for bad values. */
  steps: (values: Record<string, string | boolean | string[] | undefined>, common: CommonOptions, io: CliIO) => TaskStep[];
  /** Files that must never be overwritten besides the inputs (the mask). */
  protect?: (steps: TaskStep[]) => string[];
  /** Checks of the steps against the planned inputs (e.g. colour points inside each image); throws
   * UsageError. Returns notes for stderr, printed once a model is known to exist. */
  preflight?: (steps: TaskStep[], inputs: string[]) => Promise<string[]>;
  /** Output format when --format is not given (default 'same'); masks are written as PNG. */
  defaultFormat?: OutputFormat;
}

export function helpText<O extends Options>(spec: ProcessCommandSpec<O>): string {
  return `Usage: ${spec.usage}\n\n${spec.optionsHelp}\n\n${COMMON_HELP}\n`;
}

/** Megapixels per file from the headers (cheap), for a size-weighted time-left estimate. */
async function weightsOf(files: PlannedFile[]): Promise<Array<number | undefined>> {
  if (files.length > 2000) return []; // header reads would delay the start; count files instead
  const out: Array<number | undefined> = [];
  for (let i = 0; i < files.length; i += 16) {
    // An unreadable file will fail at once: it weighs next to nothing.
    const batch = files.slice(i, i + 16).map((f) => probeImage(f.input).then((m) => (m.width * m.height) / 1e6, () => 1e-3));
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

async function isFolderTarget(output: string, cwd: string): Promise<boolean> {
  if (/[\\/]$/.test(output)) return true;
  const st = await fs.stat(path.resolve(cwd, output)).catch(() => null);
  return st?.isDirectory() ?? false;
}

export async function runProcessCommand<O extends Options>(spec: ProcessCommandSpec<O>, args: string[], io: CliIO): Promise<number> {
  const fail = (message: string, code: number): number => {
    io.stderr(`restore ${spec.name}: ${message}\n`);
    return code;
  };
  let common: CommonOptions;
  let steps: TaskStep[];
  let plans: PlannedFile[];
  let notes: string[] | undefined;
  try {
    const { values, positionals } = parseCommandArgs(args, { ...COMMON_OPTIONS, ...spec.options });
    const raw = values as Record<string, string | boolean | string[] | undefined>;
    if (raw.help) {
      io.stdout(helpText(spec));
      return 0;
    }
    common = commonOptions(raw, io.cwd);
    if (spec.defaultFormat && raw.format === undefined) common = { ...common, format: spec.defaultFormat };
    steps = spec.steps(raw, common, io);
    if (positionals.length === 0) throw new UsageError('no input given');
    if (!common.output) throw new UsageError('-o <output> is required');
    const outputIsFolder = await isFolderTarget(common.output, io.cwd);
    const outAbs = path.resolve(io.cwd, common.output);
    const { files, emptyFolders, otherFiles } = await enumerateInputs(positionals, { recursive: common.recursive, cwd: io.cwd, exclude: [outAbs] });
    for (const f of emptyFolders) {
      const held = describeOtherFiles(otherFiles[f] ?? {});
      const others = held ? `; it holds ${held}` : '';
      io.stderr(`restore ${spec.name}: no image files in ${f}${others}${common.recursive ? '' : ' (subfolders are searched with --recursive)'}\n`);
    }
    plans = planOutputs(files, {
      output: common.output,
      cwd: io.cwd,
      format: common.format,
      outputIsFolder,
      argCount: positionals.length,
      protect: spec.protect?.(steps) ?? [],
    });
    await checkPlanOnDisk(plans, spec.protect?.(steps) ?? [], io.cwd);
    if (common.shard) {
      const all = plans.length;
      plans = shardPlans(plans, files, positionals.length, common.shard);
      io.stderr(`restore ${spec.name}: shard ${common.shard.index}/${common.shard.count}: ${plans.length} of ${all} files\n`);
    }
    notes = (await spec.preflight?.(steps, plans.map((p) => p.input))) ?? [];
  } catch (e) {
    if (e instanceof UsageError || e instanceof PlanError || e instanceof InputError) return fail(`${e.message} (see --help)`, 2);
    throw e;
  }

  if (common.dryRun) {
    const write = createEventWriter(io.stdout);
    for (const p of plans) {
      const exists = !common.overwrite && (await fs.stat(p.output).then((st) => st.isFile(), () => false));
      // as the runner decides: an output made with other settings is redone
      const verdict = exists ? compareRecord(await readProcessingRecord(p.output), steps) : undefined;
      const redo = verdict?.kind === 'changed' ? verdict.reason : undefined;
      const skip = exists && redo === undefined;
      if (common.json) write({ type: 'plan', input: p.input, output: p.output, format: p.format, skip, ...(redo ? { redo } : {}) });
      else io.stdout(`${p.input} -> ${p.output}${skip ? ' (exists, skipped)' : redo ? ` (exists, redone: ${redo})` : ''}\n`);
    }
    return 0;
  }

  try {
    await checkModels(steps, modelFolders(common.modelDirs, io.env));
  } catch (e) {
    if (e instanceof NoModelError) return fail(e.message, 1);
    if (e instanceof UsageError) return fail(e.message, 2);
    throw e;
  }
  for (const n of notes ?? []) io.stderr(`restore ${spec.name}: ${n}\n`);

  const reporter = createReporter(io, common.json);
  const debug = common.json && debugEventsEnabled(io.env) ? createEventWriter(io.stdout) : undefined;
  let engine: EngineClient;
  try {
    engine = await EngineClient.start({
      provider: common.provider,
      threads: common.threads,
      tile: common.tile,
      modelDirs: userModelFolders(common.modelDirs, io.env),
      workerPath: engineWorkerPath(),
    });
  } catch (e) {
    return fail(`cannot start the engine: ${(e as Error).message}`, 1);
  }
  const p = engine.provider;
  reporter.note(`provider: ${p.active}${p.requested !== p.active ? ` (requested ${p.requested}${p.fallbackReason ? `: ${p.fallbackReason}` : ''})` : ''}`);
  debug?.({ type: 'debug', event: 'engine-ready', pid: engine.pid ?? null });
  const offLog = engine.on('log', (l) => {
    if (l.level !== 'info') reporter.note(`engine ${l.level}: ${l.message}`);
  });
  const offRestart = engine.on('restart', (r) => {
    reporter.note(`engine process ${r.pid ?? '?'} stopped (${r.signal ?? `exit code ${r.code}`})${r.input ? ` while processing ${r.input}` : ''}; restarting`);
    debug?.({ type: 'debug', event: 'engine-restart', pid: r.pid ?? null, restarts: r.restarts });
  });

  const stop = new AbortController();
  const abort = new AbortController();
  const offInterrupt = onInterrupts(
    io,
    () => {
      reporter.note('interrupted: finishing the current file, then stopping (Ctrl-C again to stop now)');
      stop.abort();
    },
    () => {
      reporter.note('interrupted: stopping now');
      abort.abort();
    },
  );

  let current: string | undefined;
  const onEvent = (e: BatchEvent): void => {
    if (debug && e.type === 'progress' && e.current && e.current !== current) {
      current = e.current;
      debug({ type: 'debug', event: 'file-start', input: e.current, pid: engine.pid ?? null });
    }
    reporter.event(e);
  };
  try {
    const summary = await runBatch(engine, {
      files: plans,
      steps,
      depth: common.depth,
      quality: common.quality,
      keepMetadata: common.keepMetadata,
      overwrite: common.overwrite,
      weights: await weightsOf(plans),
      ...(common.shard ? { shard: common.shard } : {}),
      stopAfterCurrent: stop.signal,
      signal: abort.signal,
      onEvent,
    });
    return summary.failed > 0 || summary.interrupted ? 1 : 0;
  } finally {
    offLog();
    offRestart();
    // Ctrl-C stays handled while the engine closes (up to seconds): unhandled, a second Ctrl-C
    // then would kill the CLI by the signal instead of the documented exit code.
    try {
      await engine.close();
    } finally {
      offInterrupt();
    }
  }
}
