// Messages between the engine process (ONNX Runtime sessions, sharp, tiling) and whoever drives
// it: the CLI, the web bridge and Electron's main process. Messages carry file paths, settings
// and progress, never megapixel buffers. Shared by the supervisor (client side) and worker.ts.
import type { TaskName } from '../../models/manifest';
import type { ColorHint } from './color/hints';

export type ProviderChoice = 'auto' | 'cpu' | 'cuda' | 'dml';
export type ActiveProvider = 'cpu' | 'cuda' | 'dml';
export type OutputFormat = 'same' | 'png' | 'jpg' | 'tif' | 'webp';
export type BitDepth = 8 | 16;

/** One restoration step. A chain of steps runs in order on one image. */
export type TaskStep =
  | { task: 'denoise'; model?: string; sigma: number | 'auto'; tta?: boolean /* mean over 8 flips/rotations */; prefer?: string /* model id used when installed */ }
  | { task: 'upscale'; model?: string; scale: 2 | 4; tta?: boolean }
  | {
      task: 'colorize'; model?: string; hints?: ColorHint[] /* colour points, input pixels */; saturation?: number /* 0-2, default 1 */;
      /** Only a black-and-white (or toned monochrome) photo; a colour one passes through unchanged, settings.skipped 'colour photo'. */
      monochromeOnly?: boolean;
    }
  | {
      task: 'inpaint'; model?: string;
      /** Path of a mask image (white = fill), or 'auto': the damage detector's mask (paths are absolute, so never 'auto'). */
      mask: string;
      /** mask 'auto': the detector model and its threshold (default the model's calibrated one). */
      detector?: string; threshold?: number;
      /** Self-ensemble of the fill (mean over 8 flips/rotations), 8x the time of the windows that hold damage. */
      tta?: boolean;
    }
  | { task: 'detect-damage'; model?: string; threshold?: number /* 0-1 */; grow?: number /* px */ };

/** The mask value of an inpaint step that asks for the damage detector's mask. */
export const AUTO_MASK = 'auto';

/** Mask files a chain reads (never written over): every inpaint step's mask except 'auto'. */
export function maskFiles(steps: readonly TaskStep[]): string[] {
  return steps.flatMap((s) => (s.task === 'inpaint' && s.mask !== AUTO_MASK ? [s.mask] : []));
}

export interface EngineOptions {
  provider: ProviderChoice;
  /** ONNX Runtime intra-op threads; sharp's concurrency is set from the same budget. */
  threads: number;
  /** Tile side in pixels (input resolution); 0 = model's recommended tile. */
  tile: number;
  /** Extra folders holding a manifest.json (the user's models), besides the app's models/. */
  modelDirs?: string[];
}

export interface ProcessFileRequest {
  jobId: string;
  input: string;
  output: string;
  steps: TaskStep[];
  format: OutputFormat;
  depth?: BitDepth; // default: the input's depth
  quality?: number; // JPEG/WebP quality
  keepMetadata?: boolean; // default true
  tile?: number; // overrides EngineOptions.tile (the supervisor passes smaller tiles on retry)
  /**
   * Only this window of the upright input (pixels), run with a context margin that is cropped away
   * (region.ts): the output is the region, scaled by any upscale step. Colorize is refused.
   */
  region?: { x: number; y: number; width: number; height: number };
}

export interface ProcessFileResult {
  input: string;
  output: string;
  seconds: number;
  provider: ActiveProvider;
  /** Per step: which model ran and its resolved settings (e.g. the estimated sigma). */
  steps: Array<{ task: TaskName; model: string; settings: Record<string, number | string> }>;
  width: number;
  height: number;
  /** Frames or pages in the input when more than one: only the first was processed (see `note`). */
  frames?: number;
  /** Something the user should know about this file's result, one sentence. */
  note?: string;
  /** Where the time went: decoding, each step (tiles included), encoding and writing. */
  timings?: { readSeconds: number; stepSeconds: number[]; writeSeconds: number };
}

/** Progress inside one file (tiles done of total), for UI progress bars. */
export interface FileProgress {
  jobId: string;
  step: number;
  steps: number;
  tilesDone: number;
  tilesTotal: number;
  /** Tile side (input pixels) in use; the supervisor halves it when retrying after a crash. */
  tile?: number;
}

export interface ProviderStatus {
  requested: ProviderChoice;
  active: ActiveProvider;
  /** Why the requested (or auto-preferred) provider is not the active one. */
  fallbackReason?: string;
}

// ---- wire messages ----
export type ToEngine =
  | { type: 'init'; options: EngineOptions }
  | { type: 'process'; request: ProcessFileRequest }
  | { type: 'cancel'; jobId: string }
  | { type: 'shutdown' };

export type FromEngine =
  | { type: 'ready'; provider: ProviderStatus; pid: number }
  | { type: 'progress'; progress: FileProgress }
  | { type: 'done'; jobId: string; result: ProcessFileResult }
  | {
      type: 'failed';
      jobId: string;
      error: string;
      /** allocation failure: retry with a smaller tile */
      outOfMemory?: boolean;
      /** the input file itself is unusable (an ImageError: corrupt, unsupported, too large...), not an engine fault */
      badInput?: boolean;
    }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };
