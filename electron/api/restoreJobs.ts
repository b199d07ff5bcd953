// The Restore view's calls on the Node side: run a chain of steps on one image into the session
// workspace (lossless PNG, the original's metadata kept) with progress events and cancellation,
// then export a result to the user's chosen file, format and depth with the original's metadata
// and the models and settings used recorded in it.
import path from 'node:path';
import { probeImage } from '../imageio/probe';
import { readImage } from '../imageio/read';
import { writeImage } from '../imageio/write';
import { sameFormatFor } from '../imageio/formats';
import type { TaskStep } from '../engine/protocol';
import type { FolderAccess } from './access';
import type { EngineHost } from './engineHost';
import type { FileService } from './files';
import { ApiError, type ApiEvent, type ImageInfo, type ParsedArgsOf, type RestoreResult, type Settings } from './contract';

const PROGRESS_INTERVAL_MS = 100;

export class RestoreJobs {
  private readonly running = new Map<string, () => void>();
  /** Result file -> what produced it, recorded in the exported file's metadata. */
  private readonly provenance = new Map<string, Record<string, string>>();

  constructor(
    private readonly access: FolderAccess,
    private readonly files: FileService,
    private readonly host: EngineHost,
    private readonly settings: () => Promise<Settings>,
    private readonly emit: (e: ApiEvent) => void,
  ) {}

  async restore(args: ParsedArgsOf<'restore'>): Promise<RestoreResult> {
    const { jobId } = args;
    if (this.running.has(jobId)) throw new ApiError('invalid-argument', `restore: job ${jobId} is already running`);
    const input = await this.access.check(args.input);
    const steps: TaskStep[] = [];
    for (const s of args.steps) steps.push(s.task === 'inpaint' ? { ...s, mask: await this.access.check(s.mask) } : s);
    const { engine, release } = await this.host.acquire(await this.settings());
    const output = path.join(this.files.workspace, 'results', `${jobId}.png`);
    let cancelled = false;
    this.running.set(jobId, () => {
      cancelled = true;
      engine.cancel(jobId);
    });
    try {
      // Tiles can finish hundreds of times a second: pass on at most ~10 updates a second.
      let last = { at: 0, step: -1 };
      const result = await engine.processFile({ jobId, input, output, steps, format: 'png', keepMetadata: true }, (p) => {
        const now = Date.now();
        const stepDone = p.tilesTotal > 0 && p.tilesDone === p.tilesTotal;
        if (now - last.at < PROGRESS_INTERVAL_MS && p.step === last.step && !stepDone) return;
        last = { at: now, step: p.step };
        const within = p.tilesTotal > 0 ? p.tilesDone / p.tilesTotal : 0;
        this.emit({ type: 'restore-progress', jobId, step: p.step, steps: p.steps, fraction: Math.min(1, (p.step + within) / Math.max(1, p.steps)) });
      });
      this.provenance.set(result.output, {
        software: 'restore-studio',
        steps: result.steps.map((s) => `${s.task}:${s.model}${Object.keys(s.settings).length ? `(${Object.entries(s.settings).map(([k, v]) => `${k}=${v}`).join(',')})` : ''}`).join(' > '),
      });
      return { jobId, image: await this.files.imageInfo(result.output), provider: result.provider, seconds: result.seconds, steps: result.steps };
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError(cancelled ? 'cancelled' : 'failed', cancelled ? `${args.input}: cancelled` : (e as Error).message.split('\n')[0] ?? 'failed');
    } finally {
      this.running.delete(jobId);
      release();
    }
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
    const output = await this.access.check(args.output);
    if (output === original || output === source) throw new ApiError('forbidden', `${args.output}: would overwrite ${output === original ? 'the original' : 'the result being exported'}`);
    try {
      const [{ raster }, meta] = await Promise.all([readImage(source), probeImage(original)]);
      const format = args.options.format === 'same' ? sameFormatFor(meta.format) : args.options.format;
      await writeImage(output, raster, {
        format,
        depth: args.options.depth ?? raster.depth,
        ...(args.options.quality !== undefined ? { quality: args.options.quality } : {}),
        metadata: meta,
        keepMetadata: args.options.keepMetadata,
        processing: this.provenance.get(source) ?? { software: 'restore-studio' },
        protect: [source, original],
      });
    } catch (e) {
      throw new ApiError('failed', (e as Error).message.split('\n')[0] ?? 'export failed');
    }
    return this.files.imageInfo(output);
  }
}
