// The verdict of a training run's final check (trainer.ts): is the trained model better than its
// base on the same held-out pairs? Its mean gain over the paired scores must reach MIN_GAIN_DB and
// twice the standard error of that mean, so a gain within the scatter of the pairs (a fine-tune
// that runs level with its base) is not taken for an improvement.

/** A fine-tuned model must beat its base by this much on the held-out photos to be adopted. */
export const MIN_GAIN_DB = 0.01;

export interface Verdict {
  /** Mean of model - base over the pairs, dB. */
  gain: number;
  /** Two standard errors of that mean (0 for a single pair), dB. */
  margin: number;
  better: boolean;
}

export function verdict(base: readonly number[], model: readonly number[]): Verdict {
  if (base.length !== model.length || base.length === 0) throw new Error(`verdict: ${base.length} base scores for ${model.length} model scores`);
  const n = base.length;
  const diffs = model.map((m, i) => m - base[i]!);
  const gain = diffs.reduce((a, d) => a + d, 0) / n;
  const variance = n > 1 ? diffs.reduce((a, d) => a + (d - gain) ** 2, 0) / (n - 1) : 0;
  const margin = 2 * Math.sqrt(variance / n);
  return { gain, margin, better: gain >= Math.max(MIN_GAIN_DB, margin) };
}
