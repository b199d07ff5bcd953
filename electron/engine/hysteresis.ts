// Hysteresis thresholding of a probability map (as Canny's edge linking): pixels at or above
// `high` are marked, and so is every pixel at or above `low` connected to one of them through
// such pixels (8-neighbourhood). A scratch the detector is sure of only in places is followed
// along its whole length, while lone doubtful pixels (real thin content) stay unmarked. Also the
// damage detector's pair of thresholds, as the engine and the evaluation both apply them.

/** Marking probability of a detector whose manifest gives none. */
export const DEFAULT_DAMAGE_THRESHOLD = 0.5;

/** A marking rule: pixels >= high, and those >= low connected to them. */
export interface Thresholds { high: number; low: number }

/** The model's thresholds, or a user's `threshold` as the high one (the model's low one kept below it). */
export function damageThresholds(entry: { threshold?: number; thresholdLow?: number }, threshold?: number): Thresholds {
  const high = threshold ?? entry.threshold ?? DEFAULT_DAMAGE_THRESHOLD;
  return { high, low: Math.min(high, entry.thresholdLow ?? high) };
}
/** 1 where marked, 0 elsewhere; `low` >= `high` is plain thresholding at `high`. */
export function hysteresisMask(prob: ArrayLike<number>, width: number, height: number, high: number, low: number): Uint8Array {
  const n = width * height;
  const out = new Uint8Array(n);
  if (low >= high) {
    for (let i = 0; i < n; i++) if ((prob[i] as number) >= high) out[i] = 1;
    return out;
  }
  // every pixel enters the stack at most once (it is marked as it is pushed)
  const stack = new Int32Array(n);
  let top = 0;
  for (let i = 0; i < n; i++) if ((prob[i] as number) >= high) { out[i] = 1; stack[top++] = i; }
  while (top > 0) {
    const i = stack[--top] as number;
    const x = i % width, y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= width) continue;
        const j = yy * width + xx;
        if (!out[j] && (prob[j] as number) >= low) { out[j] = 1; stack[top++] = j; }
      }
    }
  }
  return out;
}
