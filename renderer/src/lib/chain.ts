// The restoration chain as the UI edits it (fixed order: inpaint, denoise, colorize, upscale; each
// step on/off with its settings) and its conversion to the contract's Step[] for a call. Colour
// points belong to the open photo, not to the chain: they come in as an argument of chainToSteps.
// Repair takes the painted mask (the brush, or "Find damage" edited with it), or with `autoMask`
// and nothing painted the damage detector's mask ('auto'). oldPhotoChain() is "Restore old photo".
// Batch has no brush: its Repair is always automatic (batchChain, batchSteps, batchChainProblem),
// and oldPhotosBatchChain() is its "Restore old photos" (Colourize for black-and-white files only).
import type { ApiTaskName, ChainConfig, ModelInfo, Step, StepTaskName } from '@api/contract';

/** The chain's step settings are declared once, with the saved session's schema (electron/api/sessionSchema.ts). */
export type { ChainConfig, StepConfig } from '@api/contract';

/** The denoiser trained on old prints (training/recipes/old-print.sh), preferred by "Restore old photo". */
export const OLD_PRINT_MODEL = 'old-print';

export const CHAIN_ORDER: readonly StepTaskName[] = ['inpaint', 'denoise', 'colorize', 'upscale'];

/** A colour point of guided colourization, in the original photo's pixel coordinates. */
export interface ColorHint {
  x: number;
  y: number;
  /** "#rrggbb". */
  color: string;
  radius?: number;
}

export const TASK_LABELS: Record<ApiTaskName, { title: string; hint: string }> = {
  inpaint: { title: 'Repair scratches', hint: 'Fill scratches, dust and holes: painted with the mask brush or found automatically' },
  denoise: { title: 'Reduce noise', hint: 'Remove grain and sensor noise' },
  colorize: { title: 'Colourize', hint: 'Add colour to a black-and-white photo' },
  upscale: { title: 'Enlarge', hint: 'Super-resolution, 2x or 4x' },
  'detect-damage': { title: 'Find damage', hint: 'Marks scratches, dust, hair and cracks for repair' },
};

export function defaultChain(): ChainConfig {
  const base = { enabled: false, model: '', sigma: 'auto' as const, scale: 2 as const, tta: false, saturation: 1, autoMask: false };
  return { inpaint: { ...base }, denoise: { ...base, enabled: true }, colorize: { ...base }, upscale: { ...base } };
}

export function modelsFor(task: ApiTaskName, models: readonly ModelInfo[]): ModelInfo[] {
  return models.filter((m) => m.task === task);
}

/** How much "Find damage" (and Repair's automatic mask) marks. */
export type DamageSensitivity = NonNullable<ChainConfig['inpaint']['sensitivity']>;
export const DAMAGE_SENSITIVITIES: readonly { value: DamageSensitivity; label: string }[] = [
  { value: 'normal', label: 'Normal' }, { value: 'more', label: 'More' }, { value: 'most', label: 'Most' },
];

/** The detector the engine uses by default: the user's chosen default, else the first installed. */
export function defaultDetector(models: readonly ModelInfo[]): ModelInfo | undefined {
  const all = modelsFor('detect-damage', models);
  return all.find((m) => m.defaultFor) ?? all[0];
}

/**
 * The damage probability at which a pixel is marked for a sensitivity: normal = the detector's
 * calibrated threshold (undefined: the engine applies it); more and most accept 4x and 8x its
 * margin below certainty (the shipped detector's 0.975 -> 0.9 and 0.8), never below 0.5. Without
 * a calibrated threshold every sensitivity is the engine's default.
 */
export function damageThreshold(sensitivity: DamageSensitivity | undefined, calibrated: number | undefined): number | undefined {
  if (!sensitivity || sensitivity === 'normal' || calibrated === undefined) return undefined;
  return Math.max(0.5, 1 - (sensitivity === 'more' ? 4 : 8) * (1 - calibrated));
}

/** Why the chain cannot run as configured, or null when it can. */
export function chainProblem(chain: ChainConfig, models: readonly ModelInfo[], hasMask: boolean): string | null {
  const enabled = CHAIN_ORDER.filter((t) => chain[t].enabled);
  if (enabled.length === 0) return 'Turn on at least one step.';
  for (const task of enabled) {
    if (modelsFor(task, models).length === 0) return `${TASK_LABELS[task].title}: no trained model yet.`;
  }
  if (chain.upscale.enabled && !models.some((m) => m.task === 'upscale' && m.scale === chain.upscale.scale)) {
    return `${TASK_LABELS.upscale.title} ${chain.upscale.scale}×: no trained model yet.`;
  }
  if (chain.inpaint.enabled && !hasMask) {
    if (!chain.inpaint.autoMask) return 'Paint over the damage with the mask brush first.';
    if (modelsFor('detect-damage', models).length === 0) return 'No damage detector model is installed: paint over the damage with the mask brush.';
  }
  return null;
}

/**
 * The contract's steps; `maskPath` is the painted mask (null: nothing painted, so Repair uses the
 * detector's mask when `autoMask` is on, at the threshold of its sensitivity given the detector's
 * calibrated one, `detectorThreshold`); `hints` (the photo's colour points) go to the colorize step
 * when there are any.
 */
export function chainToSteps(chain: ChainConfig, maskPath: string | null, hints: readonly ColorHint[] = [], detectorThreshold?: number): Step[] {
  const steps: Step[] = [];
  for (const task of CHAIN_ORDER) {
    const c = chain[task];
    if (!c.enabled) continue;
    const model = c.model || undefined;
    const tta = c.tta ? { tta: true } : {};
    if (task === 'inpaint' && maskPath) steps.push({ task, model, mask: maskPath, ...tta });
    else if (task === 'inpaint' && c.autoMask) {
      const threshold = damageThreshold(c.sensitivity, detectorThreshold);
      steps.push({ task, model, mask: 'auto', ...(threshold !== undefined ? { threshold } : {}), ...tta });
    }
    if (task === 'denoise') steps.push({ task, model, sigma: c.sigma, ...tta });
    if (task === 'colorize') {
      steps.push({
        task,
        model,
        ...(hints.length > 0 ? { hints: hints.map((h) => ({ x: h.x, y: h.y, color: h.color, ...(h.radius !== undefined ? { radius: h.radius } : {}) })) } : {}),
        saturation: c.saturation,
        ...(c.monochromeOnly ? { monochromeOnly: true } : {}),
      });
    }
    if (task === 'upscale') steps.push({ task, model, scale: c.scale, ...tta });
  }
  return steps;
}

/** The old-print denoiser for the chain: a fine-tune of it that was chosen; else (no denoiser
 * chosen, or the shipped one, as an earlier click of the preset leaves it) the fine-tune made the
 * default in its place, else the shipped one; undefined when another denoiser was chosen or none
 * is installed. */
function oldPrintModel(chain: ChainConfig, models: readonly ModelInfo[]): ModelInfo | undefined {
  const chosen = chain.denoise.model;
  const oldPrint = models.filter((m) => m.task === 'denoise' && (m.oldPrint || m.id === OLD_PRINT_MODEL));
  if (chosen !== '' && chosen !== OLD_PRINT_MODEL) return oldPrint.find((m) => m.id === chosen);
  return oldPrint.find((m) => m.defaultFor === OLD_PRINT_MODEL) ?? oldPrint.find((m) => m.id === OLD_PRINT_MODEL);
}

/** The preset's note for its denoising step: which old-print model reduces the grain. */
function denoiseNote(oldPrint: ModelInfo | undefined): string {
  if (!oldPrint) return 'Reduce noise (strength estimated)';
  return oldPrint.id === OLD_PRINT_MODEL ? 'Reduce grain (old-print model)' : `Reduce grain (${oldPrint.name})`;
}

/**
 * "Restore old photo": Repair (the painted mask, else the damage found automatically), Reduce
 * noise with its strength estimated (with the old-print model when it is installed and no other
 * denoiser was chosen: it removes film grain, printing screens and blur, which white-noise models
 * leave), Colourize only a monochrome photo (a colour photo keeps its colours); Enlarge and the
 * other steps' models stay as chosen. A step without an installed model stays
 * off, and Repair without a detector needs a painted mask. `notes` says what was switched on.
 */
export function oldPhotoChain(chain: ChainConfig, models: readonly ModelInfo[], photo: { monochrome: boolean; painted: boolean }): { chain: ChainConfig; notes: string[] } {
  const has = (task: ApiTaskName): boolean => modelsFor(task, models).length > 0;
  const notes: string[] = [];
  const detector = has('detect-damage');
  const repair = has('inpaint') && (photo.painted || detector);
  if (repair) notes.push(photo.painted ? 'Repair scratches (your mask)' : 'Repair scratches (found automatically)');
  else if (has('inpaint')) notes.push('No damage detector: paint the damage, then Restore again');
  const denoise = has('denoise');
  const oldPrint = oldPrintModel(chain, models);
  if (denoise) notes.push(denoiseNote(oldPrint));
  const colorize = photo.monochrome && has('colorize');
  if (colorize) notes.push('Colourize (black-and-white photo)');
  else if (!photo.monochrome) notes.push('Colours kept (colour photo)');
  else notes.push('Black-and-white photo: no colourize model installed');
  return {
    chain: {
      ...chain,
      inpaint: { ...chain.inpaint, enabled: repair, autoMask: detector || chain.inpaint.autoMask },
      denoise: { ...chain.denoise, enabled: denoise, sigma: 'auto', ...(oldPrint ? { model: oldPrint.id } : {}) },
      colorize: { ...chain.colorize, enabled: colorize },
    },
    notes,
  };
}

/** Batch has no mask painting: its Repair step always fills the damage the detector finds (mask 'auto'). */
export function batchChain(chain: ChainConfig): ChainConfig {
  return { ...chain, inpaint: { ...chain.inpaint, autoMask: true } };
}

/** Why Batch's Repair step cannot be used (no inpaint model, or no damage detector), or null when it can. */
export function batchRepairMissing(models: readonly ModelInfo[]): string | null {
  if (modelsFor('inpaint', models).length === 0) return 'No trained model yet';
  if (modelsFor('detect-damage', models).length === 0) return 'Needs a damage detector model (none is installed)';
  return null;
}

/** Why the Batch view's chain cannot run, or null when it can (Repair always automatic). */
export function batchChainProblem(chain: ChainConfig, models: readonly ModelInfo[]): string | null {
  const missing = chain.inpaint.enabled ? batchRepairMissing(models) : null;
  if (missing) return `${repairMissingSentence(missing)}.`;
  return chainProblem(batchChain(chain), models, false);
}

/** "Repair scratches: needs a damage detector model (none is installed)". */
function repairMissingSentence(missing: string): string {
  return `${TASK_LABELS.inpaint.title}: ${missing.charAt(0).toLowerCase()}${missing.slice(1)}`;
}

/** The Batch view's steps: Repair with mask 'auto', Colourize with `monochromeOnly` when chosen. */
export function batchSteps(chain: ChainConfig): Step[] {
  return chainToSteps(batchChain(chain), null);
}

/**
 * Batch's "Restore old photos": Repair with the damage found automatically (when an inpaint model
 * and a detector are installed), grain reduction with its strength estimated (the old-print model
 * when installed and no other denoiser was chosen, as "Restore old photo"), and Colourize for the
 * black-and-white photos only (the engine measures each file; colour ones keep their colours) when
 * a colourize model is installed. Enlarge and the steps' models stay as chosen. `notes` says what
 * was switched on, and what could not be.
 */
export function oldPhotosBatchChain(chain: ChainConfig, models: readonly ModelInfo[]): { chain: ChainConfig; notes: string[] } {
  const has = (task: ApiTaskName): boolean => modelsFor(task, models).length > 0;
  const notes: string[] = [];
  const repairMissing = batchRepairMissing(models);
  const repair = repairMissing === null;
  notes.push(repairMissing === null ? 'Repair scratches (found automatically)' : repairMissingSentence(repairMissing));
  const denoise = has('denoise');
  const oldPrint = oldPrintModel(chain, models);
  if (denoise) notes.push(denoiseNote(oldPrint));
  const colorize = has('colorize');
  if (colorize) notes.push('Colourize black-and-white photos only');
  return {
    chain: {
      ...chain,
      inpaint: { ...chain.inpaint, enabled: repair, autoMask: true },
      denoise: { ...chain.denoise, enabled: denoise, sigma: 'auto', ...(oldPrint ? { model: oldPrint.id } : {}) },
      colorize: colorize ? { ...chain.colorize, enabled: true, monochromeOnly: true } : chain.colorize,
    },
    notes,
  };
}
