// The Restore view's calls on the Node side: run a chain of steps on one image into the session
// workspace (lossless PNG, the original's metadata kept) with progress events and cancellation,
// then export a result to the user's chosen file, format and depth with the original's metadata
// and the models and settings used recorded in it. A preview restore runs the same chain on a
// downscaled copy (preview.ts), its colour points scaled along, for a quick look while editing;
// a region restore runs it on part of the photo at full resolution (region.ts, engine/region.ts).
// detectDamage runs the damage detector (a detect-damage step) into a mask PNG for the UI to edit;
// an inpaint step's mask is a file in an allowed folder or 'auto' (the engine detects it).
// Export never writes over an input photo, however it came in (Originals: opened, uploaded, batch
// inputs, also by content), and replaces another existing file only when told to (ifExists).
// Results are kept in the user's data folder (resultStore.ts) with what made them, so a restart
// loses neither the image nor the processing record its export writes. Full restores (not
// previews or regions) are remembered with their progress and outcome (the last KEPT_JOBS), so a
// page reloaded mid-run re-attaches to one (jobInfo) and hears its end (a restore-finished event).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { probeImage } from '../imageio/probe';
import { readImage } from '../imageio/read';
import { writeImage } from '../imageio/write';
import { TargetExistsError } from '../imageio/atomic';
import { sameFormatFor } from '../imageio/formats';
import { validateHints } from '../engine/color/hints';
import { AUTO_MASK, type FileProgress, type TaskStep } from '../engine/protocol';
import type { FolderAccess } from './access';
import type { EngineHost } from './engineHost';
import type { FileService } from './files';
import { PreviewCopies, scaleStepsForPreview } from './preview';
import { regionFor } from './region';
import type { ResultStore } from './resultStore';
import { ApiError, type ApiEvent, type DamageMaskResult, type ImageInfo, type ParsedArgsOf, type RestoreJobInfo, type RestoreResult, type Settings } from './contract';
import { failureCode } from './failureCode';

const PROGRESS_INTERVAL_MS = 100;
/** Finished full restores remembered for a page that reloads (running ones are always kept). */
const KEPT_JOBS = 16;

export class RestoreJobs {
  private readonly running = new Map<string, () => void>();
  private readonly previews: PreviewCopies;
  /** Input -> its latest preview result: an older one is deleted when a newer one is ready. */
  private readonly lastPreview = new Map<string, string>();
  /** Full restores, running and the last finished ones, oldest first. */
  private readonly jobs = new Map<string, RestoreJobInfo>();

  constructor(
    private readonly access: FolderAccess,
    private readonly files: FileService,
    private readonly host: EngineHost,
    private readonly settings: () => Promise<Settings>,
    private readonly emit: (e: ApiEvent) => void,
    private readonly kept: ResultStore,
    /** Results that must stay (the one the saved session shows). */
    private readonly pinned: () => string[],
  ) {
    this.previews = new PreviewCopies(files.workspace);
  }

  async restore(args: ParsedArgsOf<'restore'>): Promise<RestoreResult> {
    const { jobId } = args;
    if (this.running.has(jobId)) throw new ApiError('invalid-argument', `restore: job ${jobId} is already running`);
    const original = await this.access.check(args.input);
    await this.files.originals.add(original);
    let input = original;
    let steps: TaskStep[] = [];
    // A mask file must lie in an allowed folder; 'auto' (the damage detector's mask) is no file.
    for (const s of args.steps) steps.push(s.task === 'inpaint' && s.mask !== AUTO_MASK ? { ...s, mask: await this.access.check(s.mask) } : s);
    let preview = false;
    if (args.preview && args.region) throw new ApiError('invalid-argument', `${args.input}: preview and region cannot be combined`);
    const region = args.region ? await regionFor(args.region, original, steps, args.input) : undefined;
    if (region) preview = true;
    if (args.preview) {
      const copy = await this.previews.copyOf(original, args.preview.maxSide).catch((e: unknown) => {
        throw new ApiError(failureCode(e), (e as Error).message.split('\n')[0] ?? 'preview failed');
      });
      if (copy) {
        // Points outside the photo are refused as the full-resolution run would refuse them.
        for (const s of steps) {
          if (s.task !== 'colorize') continue;
          try {
            validateHints(s.hints ?? [], copy.source.width, copy.source.height);
          } catch (e) {
            throw new ApiError('invalid-argument', `${args.input}: ${(e as Error).message}`);
          }
        }
        input = copy.path;
        steps = scaleStepsForPreview(steps, copy.source, copy);
        preview = true;
      }
    }
    // Known from here on (also while the engine starts), so that a reloaded page finds it.
    const record: RestoreJobInfo | null = preview ? null : { jobId, input: args.input, state: 'running', fraction: null, step: 0, steps: steps.length };
    if (record) this.jobs.set(jobId, record);
    const finish = (end: Partial<RestoreJobInfo>): void => {
      if (!record) return;
      Object.assign(record, end);
      this.forgetOldJobs();
      this.emit({ type: 'restore-finished', job: { ...record } });
    };
    const { engine, release } = await this.settings()
      .then((s) => this.host.acquire(s))
      .catch((e: unknown) => {
        finish({ state: 'failed', error: (e as Error).message.split('\n')[0] ?? 'failed' });
        throw e;
      });
    const output = this.kept.pathFor(jobId);
    let cancelled = false;
    this.running.set(jobId, () => {
      cancelled = true;
      engine.cancel(jobId);
    });
    try {
      const result = await engine.processFile({ jobId, input, output, steps, format: 'png', keepMetadata: true, ...(region ? { region } : {}) }, this.progressOf(jobId, record));
      const provenance = {
        software: 'restore-studio',
        steps: result.steps.map((s) => `${s.task}:${s.model}${Object.keys(s.settings).length ? `(${Object.entries(s.settings).map(([k, v]) => `${k}=${v}`).join(',')})` : ''}`).join(' > '),
      };
      const meta = { original, createdAt: new Date().toISOString(), provider: result.provider, seconds: result.seconds, steps: result.steps, preview, provenance, ...(region ? { region } : {}) };
      const evicted = await this.kept.add(result.output, meta, this.pinned());
      // Region previews and downscaled previews can be on screen together: each kind replaces its own.
      if (preview) await this.replacePreview(region ? `${original}\0region` : original, result.output);
      const note = evicted.unexported > 0 ? `Kept results went over their ${formatGiB(this.kept.capBytes)} limit: ${evicted.unexported} older result${evicted.unexported === 1 ? '' : 's'} not yet exported ${evicted.unexported === 1 ? 'was' : 'were'} removed (Settings shows the kept results).` : undefined;
      const done: RestoreResult = { jobId, image: await this.files.imageInfo(result.output), provider: result.provider, seconds: result.seconds, steps: result.steps, preview, ...(region ? { region } : {}), ...(note ? { note } : {}) };
      finish({ state: 'done', fraction: 1, result: done });
      return done;
    } catch (e) {
      const error =
        e instanceof ApiError ? e : new ApiError(cancelled ? 'cancelled' : failureCode(e), cancelled ? `${args.input}: cancelled` : ((e as Error).message.split('\n')[0] ?? 'failed').replaceAll(input, original));
      finish(error.code === 'cancelled' ? { state: 'cancelled' } : { state: 'failed', error: error.message });
      throw error;
    } finally {
      this.running.delete(jobId);
      release();
    }
  }

  /**
   * The damage detector's mask of a photo (the engine's detect-damage step, written into the
   * workspace's masks/ as an 8-bit gray PNG) for the mask layer: the UI edits it with the brush
   * and eraser before anything is filled. Progress and cancellation as for restore.
   */
  async detectDamage(args: ParsedArgsOf<'detectDamage'>): Promise<DamageMaskResult> {
    const { jobId } = args;
    if (this.running.has(jobId)) throw new ApiError('invalid-argument', `detectDamage: job ${jobId} is already running`);
    const input = await this.access.check(args.path);
    await this.files.originals.add(input);
    const step: TaskStep = {
      task: 'detect-damage',
      ...(args.model ? { model: args.model } : {}),
      ...(args.threshold !== undefined ? { threshold: args.threshold } : {}),
    };
    const output = path.join(this.files.workspace, 'masks', `damage-${jobId}.png`);
    await fs.mkdir(path.dirname(output), { recursive: true });
    const { engine, release } = await this.host.acquire(await this.settings());
    let cancelled = false;
    this.running.set(jobId, () => {
      cancelled = true;
      engine.cancel(jobId);
    });
    try {
      const result = await engine.processFile({ jobId, input, output, steps: [step], format: 'png', depth: 8, keepMetadata: false }, this.progressOf(jobId));
      const ran = result.steps[0];
      const bytes = await fs.readFile(result.output);
      return {
        jobId,
        mask: result.output,
        pngBase64: bytes.toString('base64'),
        width: result.width,
        height: result.height,
        markedPercent: Number(ran?.settings.markedPercent ?? 0),
        model: ran?.model ?? '',
        threshold: Number(ran?.settings.threshold ?? 0),
        provider: result.provider,
        seconds: result.seconds,
      };
    } catch (e) {
      if (e instanceof ApiError) throw e;
      const message = (e as Error).message.split('\n')[0] ?? 'failed';
      throw new ApiError(cancelled ? 'cancelled' : failureCode(e), cancelled ? `${args.path}: cancelled` : message);
    } finally {
      this.running.delete(jobId);
      release();
    }
  }

  /** A full restore job as it stands (running, or one of the last finished), or null. */
  jobInfo(jobId: string): RestoreJobInfo | null {
    const job = this.jobs.get(jobId);
    return job ? { ...job } : null;
  }

  /** Keeps every running job and the last KEPT_JOBS finished ones. */
  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEPT_JOBS))) this.jobs.delete(j.jobId);
  }

  /**
   * The engine's per-tile progress as restore-progress events (and on a full restore's record);
   * tiles can finish hundreds of times a second, so at most ~10 a second.
   */
  private progressOf(jobId: string, record: RestoreJobInfo | null = null): (p: FileProgress) => void {
    let last = { at: 0, step: -1 };
    return (p) => {
      const now = Date.now();
      const stepDone = p.tilesTotal > 0 && p.tilesDone === p.tilesTotal;
      if (now - last.at < PROGRESS_INTERVAL_MS && p.step === last.step && !stepDone) return;
      last = { at: now, step: p.step };
      const within = p.tilesTotal > 0 ? p.tilesDone / p.tilesTotal : 0;
      const fraction = Math.min(1, (p.step + within) / Math.max(1, p.steps));
      if (record) Object.assign(record, { step: p.step, steps: p.steps, fraction });
      this.emit({ type: 'restore-progress', jobId, step: p.step, steps: p.steps, fraction });
    };
  }

  /** Previews come one after another while colour points are edited: keep only the latest per input. */
  private async replacePreview(input: string, output: string): Promise<void> {
    const previous = this.lastPreview.get(input);
    this.lastPreview.set(input, output);
    if (previous && previous !== output && !this.pinned().includes(previous)) await this.kept.remove(previous);
  }

  /** A kept result as restore() returned it (after a restart: from its sidecar), or null when it is gone. */
  async keptResult(file: string): Promise<RestoreResult | null> {
    const real = await this.access.check(file);
    if (!this.kept.holds(real)) return null;
    const meta = await this.kept.meta(real);
    if (!meta) return null;
    const image = await this.files.imageInfo(real).catch(() => null);
    if (!image) return null;
    return { jobId: path.basename(real, '.png'), image, provider: meta.provider, seconds: meta.seconds, steps: meta.steps, preview: meta.preview, ...(meta.region ? { region: meta.region } : {}) };
  }

  /** True when a restore job with this id was running (it is being cancelled). */
  cancel(jobId: string): boolean {
    const stop = this.running.get(jobId);
    stop?.();
    return stop !== undefined;
  }

  async exportImage(args: ParsedArgsOf<'exportImage'>): Promise<ImageInfo> {
    const source = await this.access.check(args.source);
    const original = await this.access.check(args.original);
    await this.files.originals.add(original);
    const output = await this.access.check(args.output);
    if (output === source) throw new ApiError('forbidden', `${args.output}: would overwrite the result being exported`);
    const present = await fs.stat(output).catch(() => null);
    if (present && !present.isFile()) throw new ApiError('invalid-argument', `${args.output}: is a folder, not a file name`);
    if (present) {
      const hit = output === original ? original : await this.files.originals.originalAt(output);
      if (hit === output) throw new ApiError('forbidden', `${args.output}: would overwrite the original; choose another name`);
      if (hit) throw new ApiError('forbidden', `${args.output}: would overwrite an original (the same photo as ${hit}); choose another name`);
      if (args.ifExists === 'ask') throw new ApiError('exists', `${args.output}: a file with this name already exists`);
    }
    let written = output;
    const provenance = this.kept.holds(source) ? (await this.kept.meta(source))?.provenance : undefined;
    try {
      const [{ raster }, meta] = await Promise.all([readImage(source), probeImage(original)]);
      const format = args.options.format === 'same' ? sameFormatFor(meta.format) : args.options.format;
      const write = (target: string, replace: boolean): Promise<void> =>
        writeImage(target, raster, {
          format,
          depth: args.options.depth ?? raster.depth,
          ...(args.options.quality !== undefined ? { quality: args.options.quality } : {}),
          metadata: meta,
          keepMetadata: args.options.keepMetadata,
          processing: provenance ?? { software: 'restore-studio' },
          protect: [source, original],
          replace,
        });
      if (args.ifExists === 'replace') await write(output, true);
      else if (args.ifExists === 'ask') await write(output, false);
      else written = await writeUnderFreeName(output, (target) => write(target, false));
    } catch (e) {
      if (e instanceof TargetExistsError) throw new ApiError('exists', `${args.output}: a file with this name already exists`);
      throw new ApiError('failed', (e as Error).message.split('\n')[0] ?? 'export failed');
    }
    if (this.kept.holds(source)) await this.kept.markExported(source);
    return this.files.imageInfo(written);
  }
}

function formatGiB(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${Number((bytes / 1024 ** 3).toFixed(1))} GB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}

/** Longest run of "name (n).ext" tried for keep-both. */
const MAX_FREE_NAME_TRIES = 1000;

/** The file name "name (n).ext" for `file` (n >= 1), in the same folder. */
export function numberedName(file: string, n: number): string {
  const ext = path.extname(file);
  const stem = path.basename(file, ext).replace(/ \(\d+\)$/, '');
  return path.join(path.dirname(file), `${stem} (${n})${ext}`);
}

/** Writes with `write` (which never replaces) under `file` or the first free "name (n).ext"; returns the path written. */
export async function writeUnderFreeName(file: string, write: (target: string) => Promise<void>): Promise<string> {
  for (let n = 0; n < MAX_FREE_NAME_TRIES; n++) {
    const target = n === 0 ? file : numberedName(file, n);
    if (await fs.lstat(target).then(() => true, () => false)) continue;
    try {
      await write(target);
      return target;
    } catch (e) {
      if (!(e instanceof TargetExistsError)) throw e; // taken meanwhile: try the next number
    }
  }
  throw new ApiError('failed', `${file}: no free name up to "${path.basename(numberedName(file, MAX_FREE_NAME_TRIES - 1))}"`);
}
