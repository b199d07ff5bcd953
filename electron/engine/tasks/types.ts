// What every task unit sees: the model catalog (pick a model for a task), the session pool, the
// tile size, cancellation and a per-tile progress callback; and what it returns: the new raster
// plus the model id and resolved settings recorded in the output's metadata.
import type { Degradation, ManifestEntry, TaskName } from '../../../models/manifest';
import type { Raster } from '../../imageio/types';
import type { Logger, SessionPool } from '../ort';

export interface PickedModel {
  entry: ManifestEntry;
  path: string;
}

export interface ModelQuery {
  /** Manifest id or .onnx file given by the user. */
  model?: string;
  /** Preferred number of image channels (1 = gray model for gray images). */
  channels?: number;
  /** Upscale factor. */
  scale?: number;
  /** Prefer a model trained on this degradation (manifest `degradations`), e.g. 'jpeg' for JPEG files. */
  degradation?: Degradation;
}

/** What the input file was: the denoise step picks its model by it (catalog.ts inputDegradation). */
export interface InputKind {
  /** Decoder name: jpeg, png, tiff, ... */
  format: string;
  depth: 8 | 16;
  /** JPEG files: the quality their quantization table corresponds to. */
  jpegQuality?: number;
}

export interface ModelCatalog {
  /** Throws "no trained model for <task> yet; see README (Models)" when the task has none. */
  pick(task: TaskName, query: ModelQuery): Promise<PickedModel>;
}

export interface TaskContext {
  catalog: ModelCatalog;
  sessions: SessionPool;
  /** Tile side in input pixels; 0 = the model's recommendedTile. */
  tile: number;
  signal?: AbortSignal;
  /** Tiles done of total within the current step, and the tile side in use. */
  onTile?: (done: number, total: number, tile: number) => void;
  log: Logger;
  /** The input file's kind (absent for rasters that did not come from a file). */
  input?: InputKind;
  /**
   * A region run (region.ts): where the raster lies in the whole photo at the current step's scale,
   * so a mask file is cropped as the image was; and the whole decoded photo, for sigma 'auto'.
   */
  window?: { x: number; y: number; width: number; height: number; sourceWidth: number; sourceHeight: number; whole: Raster };
}

export interface StepResult {
  raster: Raster;
  model: string;
  settings: Record<string, number | string>;
}
