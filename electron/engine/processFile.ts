// One file through the engine: read (imageio) -> task steps in order (tasks/) -> write (imageio,
// atomic, metadata kept, the model ids and settings recorded in the output's XMP). Progress is
// reported per tile; the result carries per-phase timings (read, each step, write); every
// failure becomes one line naming the input file and the reason. An animated or multi-page input
// is processed from its first frame or page only, and the result says so (frames, note). With
// `region` only a window of the photo runs, its context margin cropped away afterwards (region.ts).
import { readImage } from '../imageio/read';
import { writeImage } from '../imageio/write';
import { sameFormatFor, sizeRefusal } from '../imageio/formats';
import type { Logger, SessionPool } from './ort';
import { maskFiles, type FileProgress, type ProcessFileRequest, type ProcessFileResult } from './protocol';
import { requestRecord } from './record';
import { runStep } from './tasks';
import { chainMargin, checkRegion, contextWindow, cropPixels, type Rect } from './region';
import type { Raster } from '../imageio/types';
import type { ModelCatalog, TaskContext } from './tasks/types';

export interface ProcessDeps {
  catalog: ModelCatalog;
  sessions: SessionPool;
  /** Default tile (EngineOptions.tile); request.tile overrides. */
  tile: number;
  log: Logger;
  signal?: AbortSignal;
  onProgress?: (p: FileProgress) => void;
}

export const SOFTWARE = 'restore-studio';

/** "<input>: <reason>" unless the message already names the input. */
export function fileError(input: string, e: unknown): Error {
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
  return new Error(msg.startsWith(`${input}:`) ? msg : `${input}: ${msg}`, { cause: e });
}

/** "only the first of 3 frames was processed (animated GIF)" for a file of several frames or pages. */
export function framesNote(format: string, pages: number): string {
  const what = format === 'tiff' ? 'pages' : format === 'gif' || format === 'webp' ? 'frames' : 'images';
  const kind = format === 'tiff' ? 'multi-page TIFF' : format === 'gif' || format === 'webp' ? `animated ${format === 'gif' ? 'GIF' : 'WebP'}` : `${format.toUpperCase()} with several images`;
  return `only the first of ${pages} ${what} was processed (${kind})`;
}

/** A region run's window at a step whose raster is `k` times the photo's size (after upscaling). */
function scaledWindow(w: Rect, k: number, whole: Raster): NonNullable<TaskContext['window']> {
  return { x: w.x * k, y: w.y * k, width: w.width * k, height: w.height * k, sourceWidth: whole.width * k, sourceHeight: whole.height * k, whole };
}

export async function processFile(req: ProcessFileRequest, deps: ProcessDeps): Promise<ProcessFileResult> {
  const t0 = performance.now();
  try {
    if (req.steps.length === 0) throw new Error('no processing steps requested');
    const { raster: input, meta } = await readImage(req.input);
    const tRead = performance.now();
    const stepSeconds: number[] = [];
    const kind = { format: meta.format, depth: meta.depth, ...(meta.jpegQuality !== undefined ? { jpegQuality: meta.jpegQuality } : {}) };
    const region = req.region ? checkRegion(req.region, input.width, input.height) : null;
    const window = region ? contextWindow(region, await chainMargin(req.steps, deps.catalog, input.hasAlpha ? input.channels - 1 : input.channels, kind), input.width, input.height) : null;
    let raster = window ? cropPixels(input, window) : input;
    const format = req.format === 'same' ? sameFormatFor(meta.format) : req.format;
    // Refused before any step runs (an upscale of a big photo takes minutes), not at the write.
    const enlarge = req.steps.reduce((k, s) => (s.task === 'upscale' ? k * s.scale : k), 1);
    const tooLarge = sizeRefusal(format, (region ?? input).width * enlarge, (region ?? input).height * enlarge);
    if (tooLarge) throw new Error(`${req.output}: cannot hold the result: ${tooLarge}`);
    const done: ProcessFileResult['steps'] = [];
    const tile = req.tile ?? deps.tile;
    for (let i = 0; i < req.steps.length; i++) {
      const step = req.steps[i]!;
      if (deps.signal?.aborted) throw new Error('cancelled');
      const tStep = performance.now();
      const res = await runStep(raster, step, {
        catalog: deps.catalog,
        sessions: deps.sessions,
        tile,
        signal: deps.signal,
        log: deps.log,
        input: kind,
        ...(window ? { window: scaledWindow(window, raster.width / window.width, input) } : {}),
        onTile: (tilesDone, tilesTotal, t) =>
          deps.onProgress?.({ jobId: req.jobId, step: i, steps: req.steps.length, tilesDone, tilesTotal, tile: t }),
      });
      raster = res.raster;
      stepSeconds.push((performance.now() - tStep) / 1000);
      done.push({ task: step.task, model: res.model, settings: res.settings });
    }
    if (deps.signal?.aborted) throw new Error('cancelled');
    if (region && window) {
      const k = raster.width / window.width;
      raster = cropPixels(raster, { x: (region.x - window.x) * k, y: (region.y - window.y) * k, width: region.width * k, height: region.height * k });
    }
    const tWrite = performance.now();
    const protect = [req.input, ...maskFiles(req.steps)];
    await writeImage(req.output, raster, {
      format,
      depth: req.depth ?? raster.depth,
      quality: req.quality,
      metadata: meta,
      keepMetadata: req.keepMetadata ?? true,
      processing: {
        software: SOFTWARE,
        provider: deps.sessions.provider,
        models: done.map((d) => d.model).join(','),
        steps: JSON.stringify(done),
        request: JSON.stringify(requestRecord(req.steps)), // what "skip finished" compares (record.ts)
      },
      protect,
    });
    const tEnd = performance.now();
    return {
      input: req.input,
      output: req.output,
      seconds: (tEnd - t0) / 1000,
      provider: deps.sessions.provider,
      steps: done,
      width: raster.width,
      height: raster.height,
      ...(meta.pages !== undefined && meta.pages > 1 ? { frames: meta.pages, note: framesNote(meta.format, meta.pages) } : {}),
      timings: { readSeconds: (tRead - t0) / 1000, stepSeconds, writeSeconds: (tEnd - tWrite) / 1000 },
    };
  } catch (e) {
    throw fileError(req.input, e);
  }
}
