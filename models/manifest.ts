// The model manifest: one entry per trained model (models/manifest.json and the user's model
// folder). This file is the contract between models/, the engine (electron/engine), training/
// and the UI: the zod schema validates every manifest read from disk, and loadManifest() resolves
// model files and checks their sha256 before any ONNX Runtime session is created.
import { z } from 'zod';

export const TASKS = ['denoise', 'upscale', 'colorize', 'inpaint', 'detect-damage'] as const;
export type TaskName = (typeof TASKS)[number];
export const DEGRADATIONS = ['8-bit', 'jpeg', 'poisson', 'old-print'] as const;
export type Degradation = (typeof DEGRADATIONS)[number];

/** How `restore eval --tta` marks the protocol of its rows (manifest, cards, Models view). */
export const SELF_ENSEMBLE_PROTOCOL_SUFFIX = ', TTA x8';

/** A denoiser trained on old-print degradations (the shipped old-print model and its fine-tunes). */
export function isOldPrintModel(entry: { degradations?: readonly Degradation[] }): boolean {
  return entry.degradations?.includes('old-print') ?? false;
}

/** What a model input carries; the engine builds each input from its role. */
export const InputRole = z.enum([
  'image', // colour or gray image, NCHW float32, values in [0, 1]
  'noise_level', // N x 1 x H x W map of sigma / 255 (denoise)
  'mask', // N x 1 x H x W, 1 where pixels are to be filled (inpaint)
  'luma', // N x 1 x H x W, Lab L / 100 (colorize)
  'hint_ab', // N x 2 x H x W, Lab a and b / 128 of the user's colour points, 0 elsewhere (colorize)
  'hint_mask', // N x 1 x H x W, 1 inside a colour point's disc, 0 elsewhere (colorize)
]);
export type InputRole = z.infer<typeof InputRole>;

/** What the model output carries. */
export const OutputRole = z.enum([
  'image', // NCHW float32 in [0, 1], H and W multiplied by `scale`
  'ab', // N x 2 x H x W, Lab a and b divided by 128 (colorize)
  'mask', // N x 1 x H x W, probability of damage in [0, 1] (detect-damage)
]);
export type OutputRole = z.infer<typeof OutputRole>;

export const ModelInput = z.object({
  name: z.string().min(1),
  role: InputRole,
  channels: z.number().int().positive(),
});

export const ModelOutput = z.object({
  name: z.string().min(1),
  role: OutputRole,
  channels: z.number().int().positive(),
});

export const Provenance = z.object({
  data: z.string(), // training data, e.g. "shared/data/train/color (BSDS400, ...)"
  steps: z.number().int().nonnegative(),
  seed: z.number().int(),
  seconds: z.number().nonnegative(),
  machine: z.string(),
  command: z.string(), // exact command that reproduces the model
  base: z.string().optional(), // id of the base model for fine-tuned models
  date: z.string().optional(),
});

/** One evaluation row: set name and settings -> PSNR (and optional SSIM). */
export const EvaluationRow = z.object({
  set: z.string(),
  sigma: z.number().optional(),
  scale: z.number().optional(),
  protocol: z.string().optional(), // e.g. "float-unclipped", "8bit-clipped", "Y, border=scale"
  psnr: z.number().optional(), // absent for detect-damage rows (precision/recall/f1)
  ssim: z.number().optional(),
  colorfulness: z.number().optional(), // colorize: Hasler & Suesstrunk colourfulness of the outputs
  referenceColorfulness: z.number().optional(), // colorize: the same of the references
  maskArea: z.string().optional(), // inpaint: band of the image covered by the masks, e.g. "10-20%"
  precision: z.number().optional(), // detect-damage: pixel precision / recall / F1, 2-pixel tolerance
  recall: z.number().optional(),
  f1: z.number().optional(),
  markedClean: z.number().optional(), // detect-damage: % of pixels marked on the same photos undamaged
  threshold: z.number().optional(), // detect-damage: the threshold these were scored at
  thresholdLow: z.number().optional(), // detect-damage: and the hysteresis threshold (absent: none)
});

export const ManifestEntry = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'ids are lower-case letters, digits, ".", "_" and "-"'),
  name: z.string().optional(), // human-readable name for the UI
  task: z.enum(TASKS),
  file: z.string().min(1), // relative to the manifest's folder
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  parameters: z.number().int().nonnegative(),
  architecture: z.string(), // e.g. "unet", "dncnn", "subpixel"
  inputs: z.array(ModelInput).min(1),
  output: ModelOutput,
  range: z.tuple([z.number(), z.number()]).default([0, 1]),
  scale: z.number().int().positive().default(1),
  /** Pixels of context each output pixel depends on (diameter); tiling uses it for the overlap. */
  receptiveField: z.number().int().positive(),
  /** Input height and width must be multiples of this (U-Net depth); the engine pads. */
  multipleOf: z.number().int().positive().default(1),
  recommendedTile: z.number().int().positive().default(512),
  /** Colorize: the model runs on L downscaled so its long side is at most this. */
  workingSize: z.number().int().positive().optional(),
  /** Detect-damage: probability at which a pixel is marked (calibrated on a held-out synthetic set). */
  threshold: z.number().min(0).max(1).optional(),
  /** Detect-damage: a mark at `threshold` is followed along connected pixels down to this probability
   * (hysteresis, as Canny's edge linking: a scratch found in places is marked along its length). */
  thresholdLow: z.number().min(0).max(1).optional(),
  /** Every run is the mean of the model's answers for its input turned by 0, 90, 180 and 270 degrees
   * (electron/engine/selfEnsemble.ts ROTATION_TRANSFORMS), and its thresholds are calibrated on
   * that mean. Detect-damage: scratches at every angle are found alike. */
  rotationEnsemble: z.boolean().optional(),
  /** Detect-damage: pixels the marked area is grown by, so a fill covers a scratch's soft rim. */
  grow: z.number().int().min(0).max(8).optional(),
  /** Context (px, a diameter like receptiveField) each tile window gets around its core, for models whose
   * theoretical receptive field is far wider than what their output depends on in practice. */
  tileContext: z.number().int().positive().optional(),
  /** Denoise: a blind model (old prints: grain, screens, blur, JPEG) always gets this noise level
   * (0-255 scale); the strength setting and the noise estimate do not apply to it. */
  noiseLevel: z.number().min(0).max(255).optional(),
  /** Denoise: what the model was trained to remove besides white Gaussian noise of the float protocol:
   * '8-bit' (clipped, rounded files), 'jpeg', 'poisson', 'old-print' (training/data/oldPrint.ts: grain,
   * screens, blur, JPEG, fading; its fine-tunes learn the same). A JPEG input picks a model trained on 'jpeg'. */
  degradations: z.array(z.enum(DEGRADATIONS)).optional(),
  /** Denoise: sigma range (0-255 scale) the model was trained for. */
  sigmaRange: z.tuple([z.number(), z.number()]).optional(),
  description: z.string().optional(),
  card: z.string().optional(), // model card markdown, relative to the manifest's folder
  training: Provenance.optional(),
  evaluation: z.array(EvaluationRow).default([]),
});
export type ManifestEntry = z.infer<typeof ManifestEntry>;

export const Manifest = z.object({
  version: z.literal(1),
  models: z.array(ManifestEntry),
});
export type Manifest = z.infer<typeof Manifest>;
