// The API contract between the user interface (renderer) and the Node side: every call the UI can
// make (name, arguments, result), every event it can receive (a typed union) and the error shape.
// Three implementations speak it: the Electron preload (ipcRenderer.invoke behind contextBridge),
// the web-bridge client (HTTP + WebSocket to `restore serve`) and test fakes. The zod schemas are
// what the main side validates every argument with before a handler runs; the renderer imports
// this file for its types only (through the `@api/contract` alias), so zod never ships to it.
import { z } from 'zod';
import { ApiError, type ApiErrorCode } from './apiError';
import { SessionStateSchema, type BatchFileRow, type SessionState } from './sessionSchema';

// ---------- shared value schemas ----------
export const TaskNameSchema = z.enum(['denoise', 'upscale', 'colorize', 'inpaint', 'detect-damage']);
export type ApiTaskName = z.infer<typeof TaskNameSchema>;
/** The tasks that are restoration steps (a chain's order); detect-damage makes masks instead. */
export type StepTaskName = Exclude<ApiTaskName, 'detect-damage'>;

export const ProviderChoiceSchema = z.enum(['auto', 'cpu', 'cuda', 'dml']);
export const ActiveProviderSchema = z.enum(['cpu', 'cuda', 'dml']);
export const OutputFormatSchema = z.enum(['same', 'png', 'jpg', 'tif', 'webp']);
export const BitDepthSchema = z.union([z.literal(8), z.literal(16)]);

/** Paths crossing the boundary: absolute, no NUL byte, bounded length. Folder rules are checked by the handler. */
export const PathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'path contains a NUL byte');

/** Job ids are chosen by the UI so that it can cancel a call before it returns. */
export const JobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'job ids are 1-64 letters, digits, "_" or "-"');

const ModelRef = z.string().max(200).optional();
export const StepSchema = z.discriminatedUnion('task', [
  z.object({
    task: z.literal('inpaint'), model: ModelRef,
    /** A mask image (white = fill), or 'auto': the damage detector's mask (its model and threshold optional). */
    mask: z.union([PathSchema, z.literal('auto')]),
    detector: ModelRef,
    threshold: z.number().min(0).max(1).optional(),
    tta: z.boolean().optional(),
  }),
  z.object({ task: z.literal('denoise'), model: ModelRef, sigma: z.union([z.number().min(0).max(75), z.literal('auto')]), tta: z.boolean().optional() }),
  z.object({
    task: z.literal('colorize'), model: ModelRef,
    hints: z.array(z.object({
      x: z.number().finite().min(0), y: z.number().finite().min(0),
      color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colours are #rrggbb'), radius: z.number().finite().min(0).max(10000).optional(),
    }).strict()).max(1000).optional(),
    saturation: z.number().min(0).max(2).optional(),
    /** Colourize only a black-and-white photo; a colour one passes through unchanged (settings.skipped 'colour photo'). */
    monochromeOnly: z.boolean().optional(),
  }),
  z.object({ task: z.literal('upscale'), model: ModelRef, scale: z.union([z.literal(2), z.literal(4)]), tta: z.boolean().optional() }),
]);
export type Step = z.infer<typeof StepSchema>;
export const StepsSchema = z.array(StepSchema).min(1).max(8);

export const ExportOptionsSchema = z.object({
  format: OutputFormatSchema,
  depth: BitDepthSchema.optional(),
  quality: z.number().int().min(1).max(100).optional(),
  keepMetadata: z.boolean().default(true),
});
export type ExportOptions = z.input<typeof ExportOptionsSchema>;

// ---------- settings (typed, versioned) ----------
export const SettingsSchema = z.object({
  version: z.literal(1),
  provider: ProviderChoiceSchema,
  /** 0 = automatic (all cores). */
  threads: z.number().int().min(0).max(256),
  /** 0 = each model's recommended tile. */
  tile: z.number().int().min(0).max(8192),
  theme: z.enum(['system', 'light', 'dark']),
  output: ExportOptionsSchema.extend({ keepMetadata: z.boolean() }),
  /**
   * Fine-tuned models used in place of their base model wherever the base would be the default
   * (base id -> the user's model id); "use the base as default" removes the base's key.
   */
  defaultModels: z.record(z.string().max(200), z.string().max(200)).optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;
export { DEFAULT_SETTINGS } from './defaults';
export const SettingsPatchSchema = SettingsSchema.omit({ version: true }).partial();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

// ---------- results ----------
export interface ProviderInfo {
  requested: z.infer<typeof ProviderChoiceSchema>;
  active: z.infer<typeof ActiveProviderSchema>;
  fallbackReason?: string;
  /** Providers this build can run here (cpu always). */
  available: Array<z.infer<typeof ActiveProviderSchema>>;
}

export interface AppInfo {
  version: string;
  /** 'electron' (native dialogs, shell) or 'web' (restore serve; in-app folder browser). */
  shell: 'electron' | 'web';
  platform: string;
  /** Folders the UI may read and write in (chosen by the user). */
  roots: string[];
  /** Where restored previews and uploads live for this session. */
  workspace: string;
  /**
   * Folders the app keeps for itself (the workspace, kept results, the saved session, training
   * previews): readable by the UI but never offered as a place to save into.
   */
  appFolders: string[];
  modelDirs: string[];
}

export interface ModelInfo {
  id: string;
  name: string;
  task: ApiTaskName;
  parameters: number;
  architecture: string;
  scale: number;
  /** 'app' = shipped models folder (read-only), 'user' = the user's model folder. */
  source: 'app' | 'user';
  file: string;
  description?: string;
  /** Best evaluation row per set, for the Models table. */
  evaluation: Array<{ set: string; psnr: number; sigma?: number; scale?: number; protocol?: string }>;
  /** Damage detectors: F1 (2-px tolerance, thin synthetic scratches) per evaluation set at the shipped threshold. */
  detection?: Array<{ set: string; f1: number }>;
  /** Fine-tuned models: what they were trained from and on (the manifest's training provenance). */
  lineage?: { base: string; data: string; date?: string; steps: number };
  /** Image channels the model takes (1 = gray, 3 = colour). */
  channels?: number;
  /** Set for a user model that replaces its base as the default (settings' defaultModels). */
  defaultFor?: string;
  /** Denoisers with one fixed noise level (old-print, --noisy fine-tunes): strength is ignored. */
  fixedNoiseLevel?: number;
  /** Denoisers trained on old-print degradations (manifest degradations 'old-print'): the old-print model and its fine-tunes. */
  oldPrint?: boolean;
  /** Damage detectors: the calibrated probability at which a pixel is marked. */
  threshold?: number;
}

export interface ImageInfo {
  path: string;
  name: string;
  width: number;
  height: number;
  format: string;
  depth: 8 | 16;
  channels: number;
  bytes: number;
  /** A URL the UI can show in <img> (browser-displayable preview of the file). */
  url: string;
}

export interface DirEntry {
  name: string;
  path: string;
  kind: 'dir' | 'image' | 'file';
}
export interface DirListing {
  path: string;
  parent: string | null;
  entries: DirEntry[];
}

export interface RestoreResult {
  jobId: string;
  /** The restored image in the session workspace (lossless), ready to export. */
  image: ImageInfo;
  provider: z.infer<typeof ActiveProviderSchema>;
  seconds: number;
  steps: Array<{ task: ApiTaskName; model: string; settings: Record<string, number | string> }>;
  /** True when this ran on a downscaled copy (restore's `preview`) or a region: not for export as it is. */
  preview: boolean;
  /** A region run: the part of the photo (original pixels, clipped) the image shows, at the chain's scale. */
  region?: PhotoRegion;
  /** Set when older kept results were removed to stay under the cap (resultStore.ts), saying so. */
  note?: string;
}

/** The kept results (restored images not lost on a restart) and their bound. */
export interface KeptResultsInfo {
  dir: string;
  bytes: number;
  count: number;
  /** Results never exported. */
  unexported: number;
  capBytes: number;
}

/** getSession's answer: the saved work, with its files checked and opened again. */
export interface RestoredSession {
  /** The saved state, or null (none saved yet, or unreadable: see notices). */
  state: SessionState | null;
  /** The open photo, when it is still there. */
  photo: ImageInfo | null;
  /** The result shown, when it is still among the kept results. */
  result: RestoreResult | null;
  /** The painted mask (PNG base64, white = fill), or null. */
  mask: string | null;
  /** What could not be brought back, and why (shown to the user). */
  notices: string[];
  /** Batch jobs running now (a batch goes on across a page reload, not across a server restart). */
  runningBatches: string[];
  /**
   * The full restore the saved session was waiting for (`state.restore.job`) as the server knows
   * it now: running (re-attach: its progress events go on), done (its result), failed or
   * cancelled; null when the server does not know it (restarted since); absent when none was saved.
   */
  restoreJob?: RestoreJobInfo | null;
}

/** A full-resolution restore job as the server knows it (restoreJobs.ts; previews and regions are not kept). */
export interface RestoreJobInfo {
  jobId: string;
  /** The photo it restores, as the restore call named it. */
  input: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** Progress of a running job (null: no progress reported yet). */
  fraction: number | null;
  step: number;
  steps: number;
  /** Done: the result, as restore() returned it. */
  result?: RestoreResult;
  /** Failed: its error message. */
  error?: string;
}

/** detectDamage's answer: the detector's mask of the photo (white = damage), ready to edit. */
export interface DamageMaskResult {
  jobId: string;
  /** The mask in the session workspace (8-bit gray PNG, the photo's upright size). */
  mask: string;
  /** The same PNG's bytes, base64, for the mask layer (no second request, no canvas tainting). */
  pngBase64: string;
  width: number;
  height: number;
  /** Share of the photo marked, percent (0 = nothing found). */
  markedPercent: number;
  model: string;
  threshold: number;
  provider: z.infer<typeof ActiveProviderSchema>;
  seconds: number;
}

/** findPrints' answer: the prints on a scan, in the scan's upright pixels, in reading order. */
export interface ScanPrints {
  width: number;
  height: number;
  /** Centre, size (after the thin trimmed margin) and clockwise turn in degrees of each print. */
  prints: Array<{ cx: number; cy: number; width: number; height: number; angle: number }>;
  /** Regions as large as a print but not rectangular (prints touching?): not cut out. */
  irregular: number;
  /** When no print was found: why, as a clause ("no plain background ... : this looks like one photo, ..."). */
  reason?: string;
}

export interface BatchSummary {
  jobId: string;
  done: number;
  skipped: number;
  failed: number;
  total: number;
  seconds: number;
  state: 'finished' | 'cancelled';
}

// ---------- fine-tuning (the Training view) ----------
/** Tasks the app can fine-tune (a base model of the task must be installed). */
export const TrainTaskSchema = z.enum(['denoise', 'upscale', 'colorize', 'inpaint']);
export type TrainTaskName = z.infer<typeof TrainTaskSchema>;
export const TrainBudgetSchema = z.union([
  z.object({ minutes: z.number().min(0.05).max(24 * 60) }).strict(),
  z.object({ untilNoGain: z.literal(true) }).strict(),
]);
export type TrainBudget = z.infer<typeof TrainBudgetSchema>;
/** Names the user gives a fine-tuned model. */
export const ModelNameSchema = z.string().trim().min(1, 'the name is empty').max(80, 'names are at most 80 characters');
export const ModelIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,199}$/, 'model ids are lower-case letters, digits, ".", "_" and "-"');

/** What scanTrainingFolders found: photos usable for training and their size. */
export interface TrainingScan {
  photos: number;
  megapixels: number;
  folders: Array<{ folder: string; photos: number }>;
  /** Files that could not be read as images (first few), with the reason. */
  unreadable: Array<{ file: string; reason: string }>;
  /** Set when the collection cannot be trained on (too few photos to hold some out), saying why. */
  tooSmall?: string;
  /**
   * Black-and-white or toned photos among them (`count` of the `measured` photos looked at; all of
   * them up to a sample size, then extrapolated): Colourize learns from colour photos only.
   */
  monochrome: { count: number; measured: number };
  /** Set when too few colour photos are left for Colourize to learn from, saying why. */
  tooFewColour?: string;
}

export type TrainingJobState = 'starting' | 'running' | 'pausing' | 'paused' | 'interrupted' | 'finished' | 'failed' | 'cancelled';

export interface TrainingRequestInfo {
  task: TrainTaskName;
  base: string;
  baseName: string;
  folders: string[];
  noisy: boolean;
  budget: TrainBudget;
  name: string;
}

/** One held-out photo of the result card: base vs fine-tuned. */
export interface TrainingResultPhoto {
  file: string;
  basePsnr: number | null;
  psnr: number;
  /** Side-by-side picture (input | base | fine-tuned), a URL for <img>. */
  picture?: string;
}
export interface TrainingResultInfo {
  photos: TrainingResultPhoto[];
  basePsnr: number | null;
  psnr: number;
  /** 'clean': scored against the photos themselves after synthetic degradation; 'self': noisy photos, no clean reference. */
  reference: 'clean' | 'self';
  /** 'whole': colourizer fine-tunes, scored on the held-out photos colourized whole (automatic and
   * 10 points); 'crops': on `crops` fresh crops of each held-out photo, not the validation crops
   * that chose the best weights; absent (jobs from before it): the validation crops. */
  measure?: 'whole' | 'crops';
  crops?: number;
}

/** Everything the Training view shows of a job, rebuilt from its event history (trainingState.ts). */
export interface TrainingJobInfo {
  jobId: string;
  state: TrainingJobState;
  request: TrainingRequestInfo;
  createdAt: string;
  /** Loss per step (thinned to at most a few hundred points). */
  losses: Array<{ step: number; loss: number }>;
  validations: Array<{ step: number; psnr: number }>;
  basePsnr: number | null;
  step: number;
  totalSteps: number | null;
  stepsPerSecond: number | null;
  etaSeconds: number | null;
  lastCheckpoint: number | null;
  split: { train: number; heldOut: string[]; megapixels: number } | null;
  /** Preparation in progress (before the first step), or null. */
  prepare: { stage: string; done: number; total: number } | null;
  /** The latest held-out preview: a side-by-side picture (URL) of `file` (your photo | base | fine-tuned so far). */
  preview: { step: number; file: string; url: string } | null;
  result: TrainingResultInfo | null;
  /** The run's end: whether it beat the base (and so can be adopted), and why not. */
  outcome: { beat: boolean; bestPsnr: number; basePsnr: number | null; reason?: string; canAdopt: boolean } | null;
  error: string | null;
  /** Set once adopted: the installed model's id. */
  adopted: string | null;
}

/** A rectangle of the photo in original upright pixels (restore's `region`). */
export const RegionSchema = z
  .object({
    x: z.number().int().min(-1_000_000).max(1_000_000),
    y: z.number().int().min(-1_000_000).max(1_000_000),
    width: z.number().int().min(1, 'region is empty (width must be at least 1 pixel)').max(1_000_000),
    height: z.number().int().min(1, 'region is empty (height must be at least 1 pixel)').max(1_000_000),
  })
  .strict();
export type PhotoRegion = z.infer<typeof RegionSchema>;

// ---------- calls ----------
/** Every call: its argument schema (validated main-side) and its result type. */
export const CallArgs = {
  getAppInfo: z.object({}),
  getSettings: z.object({}),
  setSettings: z.object({ patch: SettingsPatchSchema }),
  getProvider: z.object({}),
  listModels: z.object({}),
  importModel: z.object({ path: PathSchema }),
  listDir: z.object({ path: PathSchema.optional() }),
  /** Native dialog (Electron); in the web shell the UI uses listDir instead and this returns null. */
  chooseFiles: z.object({ mode: z.enum(['image', 'images', 'folder', 'model']), title: z.string().max(200).optional() }),
  chooseSavePath: z.object({ defaultName: z.string().max(255), format: OutputFormatSchema }),
  openImage: z.object({ path: PathSchema }),
  /** PNG bytes of a mask (white = fill) painted in the UI over `photo`, base64: of the photo's size, saved into the workspace. */
  saveMask: z.object({ pngBase64: z.string().min(1).max(200_000_000), photo: PathSchema }),
  restore: z.object({
    jobId: JobIdSchema,
    input: PathSchema,
    steps: StepsSchema,
    /**
     * A quick look: run the chain on a copy of the input downscaled to this long side (colour
     * points scaled with it). The result says `preview: true` when the copy was smaller.
     */
    preview: z.object({ maxSide: z.number().int().min(64).max(8192) }).strict().optional(),
    /**
     * A 1:1 look at part of the photo: run the chain on this rectangle only (original upright
     * pixels, clipped to the photo; a context margin of the models' receptive field is run and
     * cropped away). The result covers the clipped `region` and says `preview: true`. Refused:
     * an empty region, one outside the photo, with `preview`, or a chain with colorize (its colour
     * comes from the whole photo).
     */
    region: RegionSchema.optional(),
  }),
  /**
   * Run the damage detector on a photo (the engine's detect-damage step) and return its mask for
   * the mask layer; progress arrives as restore-progress events of this job id, cancel() stops it.
   */
  detectDamage: z.object({
    jobId: JobIdSchema,
    path: PathSchema,
    model: ModelRef,
    /** Probability at which a pixel is marked; default the model's calibrated threshold. */
    threshold: z.number().min(0).max(1).optional(),
  }),
  /**
   * Write a result to the user's file. An input photo (opened, uploaded or a batch's) is never
   * overwritten ('forbidden'). Another existing file: `ifExists` 'ask' (default) fails with
   * 'exists' so the UI can ask, 'replace' replaces it, 'keep-both' writes "name (1).ext" (the first
   * free name) instead; the result names the file written.
   */
  exportImage: z.object({
    source: PathSchema,
    original: PathSchema,
    output: PathSchema,
    options: ExportOptionsSchema,
    ifExists: z.enum(['ask', 'replace', 'keep-both']).default('ask'),
  }),
  /** The prints laid side by side on a flatbed scan (electron/scan/), found but not written. */
  findPrints: z.object({ path: PathSchema }),
  /**
   * Cut the prints of a scan into one straightened file each, `<scan name>-1.<ext>`, ... in
   * `folder`, in reading order. `ifExists` 'ask' (default) fails with 'exists' before writing
   * anything when one of those names is taken; 'replace' replaces them. The scan is never changed.
   */
  splitScan: z.object({
    path: PathSchema,
    folder: PathSchema,
    options: ExportOptionsSchema,
    ifExists: z.enum(['ask', 'replace']).default('ask'),
  }),
  startBatch: z.object({
    jobId: JobIdSchema,
    inputs: z.array(PathSchema).min(1).max(100_000),
    output: PathSchema,
    recursive: z.boolean(),
    steps: StepsSchema,
    options: ExportOptionsSchema,
    skipExisting: z.boolean(),
  }),
  pauseBatch: z.object({ jobId: JobIdSchema }),
  resumeBatch: z.object({ jobId: JobIdSchema }),
  cancel: z.object({ jobId: JobIdSchema }),
  /** Show a folder or file in the system file manager (Electron); the web shell returns false. */
  revealPath: z.object({ path: PathSchema }),
  /** Count the photos (recursive, readable formats) and megapixels of the folders a training would use. */
  scanTrainingFolders: z.object({ folders: z.array(PathSchema).min(1).max(32) }),
  /** Start fine-tuning `base` on the folders (one training at a time; runs in its own low-priority process). */
  startTraining: z.object({
    task: TrainTaskSchema,
    base: ModelIdSchema,
    folders: z.array(PathSchema).min(1).max(32),
    /** Denoise: the photos are noisy and have no clean originals (self-supervised); else clean (degraded synthetically). */
    noisy: z.boolean().default(false),
    budget: TrainBudgetSchema,
    /** Suggested name of the fine-tuned model (the user can change it when adopting). */
    name: ModelNameSchema.optional(),
  }),
  /** Checkpoint, then stop the training process; resumeTraining continues from the checkpoint. */
  pauseTraining: z.object({ jobId: JobIdSchema }),
  /** Continue a paused or interrupted (app closed, crashed) training from its last checkpoint. */
  resumeTraining: z.object({ jobId: JobIdSchema }),
  /** Stop a training and discard it (its checkpoint and staged model are deleted). */
  cancelTraining: z.object({ jobId: JobIdSchema }),
  /** The current, paused, interrupted or finished (not yet adopted or dismissed) training, or null. */
  getTraining: z.object({}),
  /** Install a finished training's model in the user's model folder under this name. */
  adoptTrainedModel: z.object({
    jobId: JobIdSchema,
    name: ModelNameSchema,
    /** Use it instead of its base wherever the base is the default (default true). */
    makeDefault: z.boolean().default(true),
  }),
  renameModel: z.object({ id: ModelIdSchema, name: ModelNameSchema }),
  /** Delete one of the user's models (never a built-in one). */
  removeModel: z.object({ id: ModelIdSchema }),
  /** Use `model` (a user model fine-tuned from `base`) wherever `base` is the default, or `null`: the base again (roll back). */
  setDefaultModel: z.object({ base: ModelIdSchema, model: ModelIdSchema.nullable() }),
  /** The work saved by saveSession (photo, steps, points, mask, result, batch), opened again; notices say what is gone. */
  getSession: z.object({}),
  /** Save the views' work (atomically); `mask`: the painted mask as PNG base64, null = none, absent = unchanged. */
  saveSession: z.object({ state: SessionStateSchema, mask: z.string().min(1).max(200_000_000).nullable().optional() }),
  /**
   * A full restore job (not a preview or a region) the server ran or runs, or null when it does
   * not know it: a page reloaded mid-restore re-attaches to it (restore-finished follows).
   */
  getRestoreJob: z.object({ jobId: JobIdSchema }),
  /** Size and count of the kept results. */
  getKeptResults: z.object({}),
  /** Delete every kept result (Settings' Clear); a 'kept-results-cleared' event follows. */
  clearKeptResults: z.object({}),
} as const;

export type CallName = keyof typeof CallArgs;
export type CallArgsOf<N extends CallName> = z.input<(typeof CallArgs)[N]>;
export type ParsedArgsOf<N extends CallName> = z.output<(typeof CallArgs)[N]>;

export interface CallResults {
  getAppInfo: AppInfo;
  getSettings: Settings;
  setSettings: Settings;
  getProvider: ProviderInfo;
  listModels: ModelInfo[];
  importModel: ModelInfo;
  listDir: DirListing;
  chooseFiles: string[] | null;
  chooseSavePath: string | null;
  openImage: ImageInfo;
  saveMask: { path: string };
  restore: RestoreResult;
  detectDamage: DamageMaskResult;
  exportImage: ImageInfo;
  findPrints: ScanPrints;
  splitScan: { outputs: ImageInfo[] };
  startBatch: { jobId: string; total: number };
  pauseBatch: { paused: boolean };
  resumeBatch: { paused: boolean };
  cancel: { cancelled: boolean };
  revealPath: { shown: boolean };
  scanTrainingFolders: TrainingScan;
  startTraining: TrainingJobInfo;
  pauseTraining: TrainingJobInfo;
  resumeTraining: TrainingJobInfo;
  cancelTraining: { cancelled: boolean };
  getTraining: TrainingJobInfo | null;
  adoptTrainedModel: ModelInfo;
  renameModel: ModelInfo;
  removeModel: { removed: boolean };
  setDefaultModel: Settings;
  getSession: RestoredSession;
  saveSession: { saved: true };
  getKeptResults: KeptResultsInfo;
  clearKeptResults: KeptResultsInfo;
  getRestoreJob: RestoreJobInfo | null;
}
export type CallResultOf<N extends CallName> = CallResults[N];

// ---------- events ----------
export type ApiEvent =
  /** Progress inside one restore call: step i of n, tiles done of total. */
  | { type: 'restore-progress'; jobId: string; step: number; steps: number; fraction: number }
  /** A full restore ended (done, failed or cancelled): sent to every page, also one reloaded since it began. */
  | { type: 'restore-finished'; job: RestoreJobInfo }
  | { type: 'batch-progress'; jobId: string; done: number; skipped: number; failed: number; total: number; etaSeconds: number | null; current?: string; fileFraction?: number }
  /** A finished file; skipped: `reason` and `record`, done: `redone` (why an existing output was made again) and `note`. */
  | ({ type: 'batch-file'; jobId: string } & BatchFileRow)
  /** 'pausing': the file in flight finishes first; 'paused': nothing is running. */
  | { type: 'batch-state'; jobId: string; state: 'running' | 'pausing' | 'paused' }
  | { type: 'batch-done'; summary: BatchSummary }
  | { type: 'provider'; provider: ProviderInfo }
  | { type: 'engine-restart'; reason: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** Electron's application menu asks the UI to act. */
  | { type: 'menu'; action: MenuAction }
  /** The kept results were deleted (Settings' Clear): a result on screen is gone. */
  | { type: 'kept-results-cleared' }
  | TrainingEvent;
/** Events of a training job (a typed union, also stored as the job's history). */
export type TrainingEvent =
  | { type: 'training-state'; jobId: string; state: TrainingJobState; message?: string }
  /** The run's plan: total steps (null: until it stops improving or the minutes run out). */
  | { type: 'training-plan'; jobId: string; totalSteps: number | null; minutes: number | null }
  | { type: 'training-split'; jobId: string; train: number; heldOut: string[]; megapixels: number }
  /** Preparation before the first step (e.g. noisy photos: making pseudo-clean targets), done of total. */
  | { type: 'training-prepare'; jobId: string; stage: string; done: number; total: number }
  | { type: 'training-step'; jobId: string; step: number; loss: number; stepsPerSecond: number | null; etaSeconds: number | null }
  | { type: 'training-validation'; jobId: string; step: number; psnr: number; basePsnr?: number }
  /** The held-out preview at a validation: one picture (URL) of the photo as the model sees it, the base's output and the current weights' output side by side. */
  | { type: 'training-preview'; jobId: string; step: number; file: string; url: string }
  | { type: 'training-checkpoint'; jobId: string; step: number }
  | { type: 'training-paused'; jobId: string; step: number }
  | { type: 'training-result'; jobId: string; result: TrainingResultInfo }
  | { type: 'training-done'; jobId: string; beat: boolean; bestPsnr: number; basePsnr: number | null; reason?: string; canAdopt: boolean }
  | { type: 'training-failed'; jobId: string; error: string }
  | { type: 'training-adopted'; jobId: string; model: string };
export type MenuAction = 'open' | 'export' | 'toggle-compare' | 'fit' | 'actual-size';
export type ApiEventType = ApiEvent['type'];

// ---------- errors ----------
// ApiError lives in its own zod-free module so that the renderer can use it without shipping zod.
export { ApiError, ERROR_CODES, type ApiErrorCode } from './apiError';
export { type BatchFileRow, type BatchRun, type ChainConfig, type SessionState, type SessionStateInput, type StepConfig } from './sessionSchema';

/** Wire form of a call's outcome (IPC and HTTP). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: { code: ApiErrorCode; message: string } };

// ---------- the API as the renderer sees it ----------
export interface RestoreApi {
  call<N extends CallName>(name: N, args: CallArgsOf<N>): Promise<CallResultOf<N>>;
  /** Subscribe to events; returns the unsubscribe function. */
  on(listener: (event: ApiEvent) => void): () => void;
  /**
   * Turn a file dropped on the window into a path the calls accept: Electron resolves the
   * dropped file's path; the web shell uploads its bytes into the session workspace.
   */
  pathForDroppedFile(file: Blob & { name: string }): Promise<string>;
}

/** Channel names on Electron IPC: one invoke channel per call, one push channel for events. */
export const IPC_CALL_PREFIX = 'restore:';
export const IPC_EVENT_CHANNEL = 'restore:event';
export const CALL_NAMES = Object.keys(CallArgs) as CallName[];

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(CallArgs, name);
}

/** Validate a call's raw arguments; throws ApiError('invalid-argument') naming the call and the field. */
export function parseArgs<N extends CallName>(name: N, raw: unknown): ParsedArgsOf<N> {
  const result = CallArgs[name].safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'arguments';
    throw new ApiError('invalid-argument', `${name}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data as ParsedArgsOf<N>;
}
