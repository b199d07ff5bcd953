// Damage-detection evaluation (shared/data/README.md): per image, a seeded held-out synthetic
// damage of 1-5 thin scratches (1-3 px wide, opacity 0.6-1, bright or dark) composited on the
// photo; the detector's marks are scored by pixel precision, recall and F1 where a pixel counts
// as right within 2 pixels of the other mask (pooled over the set), and by the share of pixels it
// marks on the same photos undamaged. Marks are the engine's: hysteresis from the threshold down to
// the model's lower threshold (../../electron/engine/hysteresis.ts). With `calibrate` both are swept
// and the best F1 among pairs marking at most MAX_MARKED_CLEAN of the clean pixels is reported (run
// it on a calibration set, never on the set the numbers are quoted for).
import path from 'node:path';
import { listImages } from '../data/images';
import { compositeTone, scratchMask, type Planar } from '../data/degrade';
import { Rng } from '../rng';
import { stepSeed } from '../data/loader';
import { loadPlanar } from './images';
import type { ModelRunner } from './runner';
import { writePanels } from './crops';
import { damageThresholds, hysteresisMask, type Thresholds } from '../../electron/engine/hysteresis';
import type { CropRequest, EvalRow } from './evaluate';

/** Most of the clean photos' pixels a calibrated threshold may mark. */
export const MAX_MARKED_CLEAN = 0.005;
export const TOLERANCE_PX = 2;
// 0.05 steps, and finer at the top where a confident detector's calibrated threshold lies
const THRESHOLDS = [...Array.from({ length: 19 }, (_, i) => 0.05 * (i + 1)), 0.96, 0.97, 0.98, 0.99];
// lower thresholds a sure mark may be followed down to (hysteresis); each pair has low < high
const LOWS = [0.3, 0.5, 0.7, 0.8, 0.9, 0.95];

function sweep(): Thresholds[] {
  return THRESHOLDS.flatMap((high) => [{ high, low: high }, ...LOWS.filter((low) => low < high - 1e-9).map((low) => ({ high, low }))]);
}

/** Thin-scratch damage of the protocol on a copy of `clean`; the truth mask (1 = damage). */
export function scratchDamage(clean: Planar, rng: Rng): { damaged: Planar; truth: Uint8Array } {
  const damaged: Planar = { ...clean, data: Float32Array.from(clean.data) };
  const truth = new Uint8Array(clean.h * clean.w);
  for (let k = 0, count = 1 + rng.int(5); k < count; k++) {
    const m = scratchMask(clean.h, clean.w, rng, 1);
    const tone = rng.next() < 0.5 ? rng.uniform(0.8, 1) : rng.uniform(0, 0.2);
    compositeTone(damaged, m, tone, rng.uniform(0.6, 1));
    for (let i = 0; i < truth.length; i++) if (m[i]) truth[i] = 1;
  }
  return { damaged, truth };
}

/** Pixels within `r` (Euclidean) of a set pixel of `m`. */
export function withinDistance(m: Uint8Array, h: number, w: number, r: number): Uint8Array {
  const out = new Uint8Array(m.length);
  const offs: [number, number][] = [];
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r) offs.push([dx, dy]);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    if (!m[y * w + x]) continue;
    for (const [dx, dy] of offs) {
      const xx = x + dx, yy = y + dy;
      if (xx >= 0 && yy >= 0 && xx < w && yy < h) out[yy * w + xx] = 1;
    }
  }
  return out;
}

interface Counts { marked: number; markedNearTruth: number; truth: number; truthNearMarked: number; clean: number; cleanPixels: number }

function addCounts(c: Counts, prob: Float32Array, cleanProb: Float32Array, truth: Uint8Array, truthNear: Uint8Array, h: number, w: number, t: Thresholds): void {
  const marked = hysteresisMask(prob, w, h, t.high, t.low);
  const markedClean = hysteresisMask(cleanProb, w, h, t.high, t.low);
  const near = withinDistance(marked, h, w, TOLERANCE_PX);
  for (let i = 0; i < marked.length; i++) {
    if (marked[i]) { c.marked++; if (truthNear[i]) c.markedNearTruth++; }
    if (truth[i]) { c.truth++; if (near[i]) c.truthNearMarked++; }
    if (markedClean[i]) c.clean++;
  }
  c.cleanPixels += prob.length;
}

function scores(c: Counts): { precision: number; recall: number; f1: number; markedClean: number } {
  const precision = c.marked > 0 ? c.markedNearTruth / c.marked : 0;
  const recall = c.truth > 0 ? c.truthNearMarked / c.truth : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, markedClean: c.clean / Math.max(1, c.cleanPixels) };
}

/** One pair of thresholds a calibration tried and its scores (markedClean in %). */
export interface SweepPoint { threshold: number; thresholdLow: number; precision: number; recall: number; f1: number; markedClean: number }

export async function evalDetect(runner: ModelRunner, setDir: string, opts: { threshold?: number; calibrate?: boolean; crops?: CropRequest; onSweep?: (p: SweepPoint) => void } = {}): Promise<EvalRow[]> {
  const files = await listImages(setDir);
  if (files.length === 0) throw new Error(`${setDir}: no images`);
  const set = path.basename(setDir);
  const given = damageThresholds(runner.entry, opts.threshold);
  const thresholds = opts.calibrate ? sweep() : [given];
  const counts: Counts[] = thresholds.map(() => ({ marked: 0, markedNearTruth: 0, truth: 0, truthNearMarked: 0, clean: 0, cleanPixels: 0 }));
  for (const [i, f] of files.entries()) {
    const clean = await loadPlanar(f, 3);
    const { damaged, truth } = scratchDamage(clean, new Rng(stepSeed(2000, i)));
    const prob = (await runner.run({ image: damaged })).data;
    const cleanProb = (await runner.run({ image: clean })).data;
    const truthNear = withinDistance(truth, clean.h, clean.w, TOLERANCE_PX);
    for (const [k, t] of thresholds.entries()) addCounts(counts[k]!, prob, cleanProb, truth, truthNear, clean.h, clean.w, t);
    if (opts.crops && i < opts.crops.count) {
      const plane = (m: Uint8Array): Planar => ({ c: 1, h: clean.h, w: clean.w, data: Float32Array.from(m) });
      const marks = (p: Float32Array): Uint8Array => hysteresisMask(p, clean.w, clean.h, given.high, given.low);
      const file = path.join(opts.crops.dir, `detect-${set}-${path.parse(f).name}.png`);
      await writePanels(file, [{ label: 'damaged', image: damaged }, { label: 'truth', image: plane(truth) }, { label: runner.entry.id, image: plane(marks(prob)) }, { label: 'marked on clean', image: plane(marks(cleanProb)) }]);
      opts.crops.onCrop?.({ file, image: f, x: 0, y: 0, size: 0, panels: ['damaged', 'truth', runner.entry.id, 'marked on the clean photo'], psnr: [] });
    }
  }
  const rows = thresholds.map((t, k) => ({ t, ...scores(counts[k]!) }));
  if (opts.calibrate) for (const r of rows) opts.onSweep?.({ threshold: r.t.high, thresholdLow: r.t.low, precision: r.precision, recall: r.recall, f1: r.f1, markedClean: 100 * r.markedClean });
  const eligible = rows.filter((r) => r.markedClean <= MAX_MARKED_CLEAN);
  const best = (eligible.length > 0 ? eligible : rows).reduce((a, b) => (b.f1 > a.f1 ? b : a));
  const pct = (x: number): number => Number((100 * x).toFixed(3));
  return [{
    set, method: runner.entry.id, protocol: `thin scratches 1-3 px, F1 within ${TOLERANCE_PX} px${opts.calibrate ? ', calibrated here' : ''}`,
    images: files.length, threshold: Number(best.t.high.toFixed(3)), ...(best.t.low < best.t.high ? { thresholdLow: Number(best.t.low.toFixed(3)) } : {}),
    precision: Number(best.precision.toFixed(4)), recall: Number(best.recall.toFixed(4)), f1: Number(best.f1.toFixed(4)), markedClean: pct(best.markedClean),
  }];
}
