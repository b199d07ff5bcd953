// Batch progress and time left, as pure logic with an injected clock (unit-tested). Each file has
// a weight (its megapixels when known, else 1); the rate is the weight processed per second of
// processing so far, the current file counted by its tile fraction, and the time left is the
// unprocessed weight divided by that rate. Skipped files cost no time and leave the estimate
// alone. No estimate (null) until a file has finished or the current one is a fifth done.

export interface ProgressSnapshot {
  /** Files finished (written, skipped or failed). */
  done: number;
  total: number;
  /** Seconds left, or null while unknown. */
  etaSeconds: number | null;
  /** 0..1 of the weight to process (skipped files excluded). */
  fraction: number;
}

export class ProgressTracker {
  private readonly weights: number[];
  private readonly finished: boolean[];
  private processedWeight = 0;
  private processingSeconds = 0;
  private remainingWeight: number;
  private totalWeight: number;
  private current: { index: number; startedAt: number; fraction: number } | null = null;
  private doneCount = 0;

  /** `weights[i]` is file i's relative cost (e.g. megapixels); missing or non-positive -> 1. */
  constructor(total: number, weights?: ReadonlyArray<number | undefined>) {
    this.weights = Array.from({ length: total }, (_, i) => {
      const w = weights?.[i];
      return w !== undefined && Number.isFinite(w) && w > 0 ? w : 1;
    });
    this.finished = new Array<boolean>(total).fill(false);
    this.totalWeight = this.weights.reduce((a, b) => a + b, 0);
    this.remainingWeight = this.totalWeight;
  }

  get total(): number {
    return this.weights.length;
  }

  /** File i was skipped (already done): it leaves the work to do. */
  skip(index: number): void {
    if (this.finished[index]) return;
    this.finished[index] = true;
    this.doneCount += 1;
    this.remainingWeight -= this.weights[index]!;
    this.totalWeight -= this.weights[index]!;
  }

  start(index: number, now: number): void {
    this.current = { index, startedAt: now, fraction: 0 };
  }

  /** Fraction (0..1) of the current file done, e.g. tiles done / tiles total. */
  update(fraction: number): void {
    if (this.current) this.current.fraction = Math.min(1, Math.max(0, fraction));
  }

  /** File i finished (written or failed) at `now`. */
  finish(index: number, now: number): void {
    if (this.finished[index]) return;
    this.finished[index] = true;
    this.doneCount += 1;
    const w = this.weights[index]!;
    if (this.current?.index === index) {
      this.processingSeconds += Math.max(0, (now - this.current.startedAt) / 1000);
      this.current = null;
    }
    this.processedWeight += w;
    this.remainingWeight -= w;
  }

  snapshot(now: number): ProgressSnapshot {
    let weight = this.processedWeight;
    let seconds = this.processingSeconds;
    let remaining = this.remainingWeight;
    if (this.current) {
      const partial = this.weights[this.current.index]! * this.current.fraction;
      weight += partial;
      remaining -= partial;
      seconds += Math.max(0, (now - this.current.startedAt) / 1000);
    }
    // The first moments of the first file include model loading: no estimate until a file has
    // finished or the current one is a fifth done.
    const measured = this.processedWeight > 0 || (this.current !== null && this.current.fraction >= 0.2);
    let etaSeconds: number | null = null;
    if (remaining <= 1e-9) etaSeconds = 0;
    else if (measured && weight > 0 && seconds > 0) etaSeconds = (remaining / weight) * seconds;
    const fraction = this.totalWeight > 0 ? Math.min(1, weight / this.totalWeight) : 1;
    return { done: this.doneCount, total: this.total, etaSeconds, fraction };
  }
}

/** "1h02m", "3m05s", "42s", "?" for unknown: for the human progress line. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}
