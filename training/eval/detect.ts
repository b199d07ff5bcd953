// Damage-detection evaluation (shared/data/README.md): per image, a seeded held-out synthetic
// damage of 1-5 thin scratches (1-3 px wide, opacity 0.6-1, bright or dark) composited on the
// photo; the detector's marks are scored by pixel precision, recall and F1 where a pixel counts
// as right within 2 pixels of the other mask (pooled over the set), and by the share of pixels it
// marks on the same photos undamaged. With `calibrate` the threshold is swept and the best F1
// among thresholds marking at most MAX_MARKED_CLEAN of the clean pixels is reported (run it on a
// calibration set, never on the set the numbers are quoted for).
import path from 'node:path';
import { listImages } from '../data/images';
import { scratchMask, type Planar } from '../data/degrade';
import { compositeDamage } from '../data/damageSample';
import { Rng } from '../rng';
import { stepSeed } from '../data/loader';
import { loadPlanar } from './images';
import type { ModelRunner } from './runner';
import { writePanels } from './crops';
import type { CropRequest, EvalRow } from './evaluate';

/** Most of the clean photos' pixels a calibrated threshold may mark. */
export const MAX_MARKED_CLEAN = 0.005;
export const TOLERANCE_PX = 2;
// 0.05 steps, and finer at the top where a confident detector's calibrated threshold lies
const THRESHOLDS = [...Array.from({ length: 19 }, (_, i) => 0.05 * (i + 1)), 0.96, 0.97, 0.98, 0.99];

/** Thin-scratch damage of the protocol on a copy of `clean`; the truth mask (1 = damage). */
export function scratchDamage(clean: Planar, rng: Rng): { damaged: Planar; truth: Uint8Array } {
  const damaged: Planar = { ...clean, data: Float32Array.from(clean.data) };
  const truth = new Uint8Array(clean.h * clean.w);
  for (let k = 0, count = 1 + rng.int(5); k < count; k++) {
    const m = scratchMask(clean.h, clean.w, rng, 1);
    const tone = rng.next() < 0.5 ? rng.uniform(0.8, 1) : rng.uniform(0, 0.2);
    compositeDamage(damaged, m, tone, rng.uniform(0.6, 1));
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

function addCounts(c: Counts, prob: Float32Array, cleanProb: Float32Array, truth: Uint8Array, truthNear: Uint8Array, h: number, w: number, t: number): void {
  const marked = new Uint8Array(prob.length);
  for (let i = 0; i < prob.length; i++) marked[i] = (prob[i] as number) >= t ? 1 : 0;
  const near = withinDistance(marked, h, w, TOLERANCE_PX);
  for (let i = 0; i < marked.length; i++) {
    if (marked[i]) { c.marked++; if (truthNear[i]) c.markedNearTruth++; }
    if (truth[i]) { c.truth++; if (near[i]) c.truthNearMarked++; }
    if ((cleanProb[i] as number) >= t) c.clean++;
  }
  c.cleanPixels += prob.length;
}

function scores(c: Counts): { precision: number; recall: number; f1: number; markedClean: number } {
  const precision = c.marked > 0 ? c.markedNearTruth / c.marked : 0;
  const recall = c.truth > 0 ? c.truthNearMarked / c.truth : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, markedClean: c.clean / Math.max(1, c.cleanPixels) };
}

export async function evalDetect(runner: ModelRunner, setDir: string, opts: { threshold?: number; calibrate?: boolean; crops?: CropRequest } = {}): Promise<EvalRow[]> {
  const files = await listImages(setDir);
  if (files.length === 0) throw new Error(`${setDir}: no images`);
  const set = path.basename(setDir);
  const thresholds = opts.calibrate ? THRESHOLDS : [opts.threshold ?? runner.entry.threshold ?? 0.5];
  const counts: Counts[] = thresholds.map(() => ({ marked: 0, markedNearTruth: 0, truth: 0, truthNearMarked: 0, clean: 0, cleanPixels: 0 }));
  for (const [i, f] of files.entries()) {
    const clean = await loadPlanar(f, 3);
    const { damaged, truth } = scratchDamage(clean, new Rng(stepSeed(2000, i)));
    const prob = (await runner.run({ image: damaged })).data;
    const cleanProb = (await runner.run({ image: clean })).data;
    const truthNear = withinDistance(truth, clean.h, clean.w, TOLERANCE_PX);
    for (const [k, t] of thresholds.entries()) addCounts(counts[k]!, prob, cleanProb, truth, truthNear, clean.h, clean.w, t);
    if (opts.crops && i < opts.crops.count) {
      const t = opts.threshold ?? runner.entry.threshold ?? 0.5;
      const plane = (d: ArrayLike<number>, at: number): Planar => ({ c: 1, h: clean.h, w: clean.w, data: Float32Array.from({ length: clean.h * clean.w }, (_, p) => ((d[p] as number) >= at ? 1 : 0)) });
      const file = path.join(opts.crops.dir, `detect-${set}-${path.parse(f).name}.png`);
      await writePanels(file, [{ label: 'damaged', image: damaged }, { label: 'truth', image: plane(truth, 1) }, { label: runner.entry.id, image: plane(prob, t) }, { label: 'marked on clean', image: plane(cleanProb, t) }]);
      opts.crops.onCrop?.({ file, image: f, x: 0, y: 0, size: 0, panels: ['damaged', 'truth', runner.entry.id, 'marked on the clean photo'], psnr: [] });
    }
  }
  const rows = thresholds.map((t, k) => ({ t, ...scores(counts[k]!) }));
  const eligible = rows.filter((r) => r.markedClean <= MAX_MARKED_CLEAN);
  const best = (eligible.length > 0 ? eligible : rows).reduce((a, b) => (b.f1 > a.f1 ? b : a));
  const pct = (x: number): number => Number((100 * x).toFixed(3));
  return [{
    set, method: runner.entry.id, protocol: `thin scratches 1-3 px, F1 within ${TOLERANCE_PX} px${opts.calibrate ? ', calibrated here' : ''}`,
    images: files.length, threshold: Number(best.t.toFixed(2)),
    precision: Number(best.precision.toFixed(4)), recall: Number(best.recall.toFixed(4)), f1: Number(best.f1.toFixed(4)), markedClean: pct(best.markedClean),
  }];
}
