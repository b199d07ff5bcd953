// The headline scores of a manifest entry, what the Models view and `restore models` show: one
// evaluation row per benchmark set (headlineEvaluation) and, for a damage detector, its F1 per
// evaluation set at its shipped threshold (detectionScores).
import { SELF_ENSEMBLE_PROTOCOL_SUFFIX, type ManifestEntry } from './manifest';

export type EvalRow = ManifestEntry['evaluation'][number];

/**
 * The Models table's "best evaluation row per set": benchmark sets before the training run's own
 * held-out split (shown only when nothing else was measured), the published protocol before the
 * 8-bit real-file variant, the model alone before its self-ensemble (TTA), and sigma 25 (the tables' usual column) before other noise levels.
 */
export function headlineEvaluation(rows: readonly EvalRow[]): EvalRow[] {
  const heldOut = (r: EvalRow): boolean => r.set.startsWith('held-out');
  const pool = rows.some((r) => !heldOut(r)) ? rows.filter((r) => !heldOut(r)) : [...rows];
  const rank = (r: EvalRow): number =>
    (r.protocol?.endsWith(SELF_ENSEMBLE_PROTOCOL_SUFFIX) ? 4 : 0) + (r.protocol === '8bit-clipped' ? 2 : 0) + (r.sigma !== undefined && r.sigma !== 25 ? 1 : 0);
  const best = new Map<string, EvalRow>();
  for (const r of pool) {
    const cur = best.get(r.set);
    if (!cur || rank(r) < rank(cur)) best.set(r.set, r);
  }
  return [...best.values()];
}

/** A detector's F1 rows on the evaluation sets at its shipped threshold (not its calibration runs). */
export function detectionScores(entry: ManifestEntry): Array<{ set: string; f1: number }> {
  return entry.evaluation.flatMap((r) =>
    r.f1 !== undefined && r.threshold === entry.threshold && !/calibrat/.test(r.protocol ?? '') && !/held-out/.test(r.set) ? [{ set: r.set, f1: r.f1 }] : [],
  );
}
