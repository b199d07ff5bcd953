// What a restore result did, in words for the Restore view's run panel: whether anything changed
// (a denoise at strength 0 or a fill of nothing leaves the photo as it was, and must not be
// reported as "Restored"), and the settings the engine chose itself, such as the estimated noise
// strength.
import type { RestoreResult } from '@api/contract';

type StepRecord = RestoreResult['steps'][number];

/** Below this strength (0-255 scale) the denoiser leaves the photo as it is. */
const NO_NOISE = 0.5;

function isNoOp(s: StepRecord): boolean {
  if (s.task === 'denoise') return s.settings.sigmaMode !== 'fixed' && Number(s.settings.sigma) < NO_NOISE;
  if (s.task === 'inpaint') return Number(s.settings.maskPercent) === 0;
  return false;
}

export interface ResultSummary {
  /** False when every step left the photo as it was. */
  changed: boolean;
  /** The badge: "Restored in 5.7 s", or what was found when nothing changed. */
  label: string;
  /** One line per step whose setting was chosen by the engine (estimated strength, ...). */
  notes: string[];
}

/** The noise strength the engine estimated for the photo (denoise with strength Auto), if any. */
export function estimatedSigma(result: RestoreResult | null): number | undefined {
  const s = result?.steps.find((x) => x.task === 'denoise' && x.settings.sigmaMode === 'auto');
  const sigma = Number(s?.settings.sigma);
  return s && Number.isFinite(sigma) ? sigma : undefined;
}

/** `nameOf` gives a model's display name from its id (the installed models' names; else the id). */
export function summarizeResult(result: RestoreResult, nameOf: (id: string) => string = (id) => id): ResultSummary {
  const notes: string[] = [];
  for (const s of result.steps) {
    if (s.task === 'denoise' && s.settings.sigmaMode === 'auto') notes.push(`Noise strength σ ${Number(s.settings.sigma).toFixed(1)}, estimated from the photo`);
    if (s.task === 'denoise' && s.settings.sigmaMode === 'fixed') notes.push(`Grain reduced by ${nameOf(s.model)}, at its own fixed strength`);
  }
  const changed = result.steps.length === 0 || !result.steps.every(isNoOp);
  if (changed) return { changed, label: `Restored in ${result.seconds.toFixed(1)} s`, notes };
  const denoised = result.steps.some((s) => s.task === 'denoise');
  const filled = result.steps.some((s) => s.task === 'inpaint');
  const found = denoised && filled ? 'no noise or damage found' : denoised ? 'no noise found (σ 0)' : 'no damage found';
  return { changed, label: `Nothing changed: ${found}`, notes };
}
