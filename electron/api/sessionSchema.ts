// The work the app keeps across a page reload or an app restart (issue 16 item 4), as zod schemas:
// the Restore view's open photo, step chain, colour points, shown result and running restore, and the Batch view's
// inputs, settings and last run. The renderer builds it (hooks/useSession), the main side
// validates it before writing <user data>/session/session.json (sessionStore.ts) and again when
// reading it back. The chain's step settings are declared here once; lib/chain.ts uses the types.
import { z } from 'zod';
import { SESSION_BATCH_ROWS } from './defaults';

const PathLike = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'path contains a NUL byte');

/** One step of the chain as the UI edits it (on/off and its settings). */
export const StepConfigSchema = z.object({
  enabled: z.boolean(),
  /** '' = the default (best installed) model for the task. */
  model: z.string().max(200),
  /** Denoise strength on the 0-255 scale, or automatic estimation. */
  sigma: z.union([z.number().min(0).max(75), z.literal('auto')]),
  scale: z.union([z.literal(2), z.literal(4)]),
  /** Denoise/upscale: self-ensemble (the mean over 8 flips/rotations), 8x slower. */
  tta: z.boolean(),
  /** Colourize: scale of the predicted colour, 0 (gray) to 2 (default 1). */
  saturation: z.number().min(0).max(2),
  /** Repair: with nothing painted, fill what the damage detector finds (mask 'auto'). */
  autoMask: z.boolean(),
  /** Repair: how much the damage finder marks (lib/chain.ts damageThreshold); absent = normal. */
  sensitivity: z.enum(['normal', 'more', 'most']).optional(),
  /** Colourize (Batch): only the black-and-white photos; colour ones pass through unchanged (step `monochromeOnly`). */
  monochromeOnly: z.boolean().optional(),
});
export type StepConfig = z.infer<typeof StepConfigSchema>;
/** The chain in its fixed order: inpaint, denoise, colorize, upscale. */
export const ChainConfigSchema = z.object({ inpaint: StepConfigSchema, denoise: StepConfigSchema, colorize: StepConfigSchema, upscale: StepConfigSchema });
export type ChainConfig = z.infer<typeof ChainConfigSchema>;

export const SavedPointSchema = z.object({
  id: z.number().int().min(0),
  x: z.number().finite().min(0),
  y: z.number().finite().min(0),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
});

/** A finished file of a batch as the Batch view lists it. */
export const BatchFileRowSchema = z.object({
  status: z.enum(['done', 'skipped', 'failed']),
  input: PathLike,
  output: z.string().max(4096).optional(),
  error: z.string().max(4000).optional(),
  seconds: z.number().min(0).optional(),
  /** Skipped: why (e.g. 'output exists'). */
  reason: z.string().max(1000).optional(),
  /** Skipped: whether the output's processing record shows these steps ('same') or none of ours ('foreign'). */
  record: z.enum(['same', 'foreign']).optional(),
  /** Done: the output existed but was made with other steps or settings, and why it was redone. */
  redone: z.string().max(1000).optional(),
  /** Done: one sentence the user should know (e.g. only the first page of a multi-page file). */
  note: z.string().max(1000).optional(),
  /** Done with Repair on the damage found automatically: the share of the photo found and filled (0 = none found). */
  damagePercent: z.number().min(0).max(100).optional(),
  /** Done: Colourize left this photo as it was, and why (e.g. 'colour photo'). */
  colorizeSkipped: z.string().max(200).optional(),
});
export type BatchFileRow = z.infer<typeof BatchFileRowSchema>;

/** The Batch view's run: counts, state and the files finished so far. */
export const BatchRunSchema = z.object({
  jobId: z.string().max(64),
  state: z.enum(['running', 'pausing', 'paused', 'finished', 'cancelled', 'interrupted']),
  done: z.number().int().min(0),
  skipped: z.number().int().min(0),
  failed: z.number().int().min(0),
  total: z.number().int().min(0),
  etaSeconds: z.number().nullable(),
  current: z.string().max(4096).optional(),
  seconds: z.number().optional(),
  /** What the steps did over the whole run: files with damage found (and filled), without, and colour photos Colourize kept. */
  outcomes: z.object({ damageFound: z.number().int().min(0), noDamage: z.number().int().min(0), colourKept: z.number().int().min(0) }).optional(),
  rows: z.array(BatchFileRowSchema).max(SESSION_BATCH_ROWS),
});
export type BatchRun = z.infer<typeof BatchRunSchema>;

export const SessionStateSchema = z.object({
  version: z.literal(1),
  restore: z.object({
    /** The open photo (a user's file, or the kept copy of one dropped into the web page), or null. */
    photo: PathLike.nullable(),
    chain: ChainConfigSchema,
    points: z.array(SavedPointSchema).max(1000),
    /** The result shown (a file among the kept results), or null. */
    result: PathLike.nullable(),
    mode: z.enum(['slider', 'side']).default('slider'),
    /** The full restore running when this was saved (its job id), re-attached after a reload; null = none. */
    job: z.string().max(64).nullable().default(null),
  }),
  batch: z.object({
    inputs: z.array(PathLike).max(100_000),
    output: z.string().max(4096),
    recursive: z.boolean(),
    skipExisting: z.boolean(),
    chain: ChainConfigSchema,
    format: z.enum(['same', 'png', 'jpg', 'tif', 'webp']),
    depth: z.union([z.literal(8), z.literal(16)]),
    last: BatchRunSchema.nullable(),
  }),
});
export type SessionState = z.infer<typeof SessionStateSchema>;
export type SessionStateInput = z.input<typeof SessionStateSchema>;
