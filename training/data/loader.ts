// Batches for training and validation. Training batch k is a pure function of (seed, k): the
// image, crop, transform and degradation of every example come from a generator seeded by both,
// so a resumed run sees exactly the batches an uninterrupted one would have. The next batch is
// prepared while the current step runs (prefetch), so a step never waits on data.
import { createHash } from 'node:crypto';
import { Rng } from '../rng';
import { centerCrop, colorAugment, colorRotate, extractCrop, randomCrop, type CropSpec } from './augment';
import type { TrainImage } from './images';
import { batchShapes, makeSample, sourcePatch, type TaskConfig } from './tasks';
import type { Batch } from '../step/session';

export function stepSeed(seed: number, step: number): number {
  return createHash('sha256').update(`${seed}/${step}`).digest().readUInt32BE(0);
}

/** The colour operations a configuration turns on, in the order they apply to a clean patch, each
 * with its fraction and the salt of its held-out generator. Unset ones are left out, so a run
 * without them draws nothing for them and keeps its batches. */
function colorOps(cfg: TaskConfig): { fraction: number; salt: number; apply: (x: Float32Array, plane: number, rng: Rng) => void }[] {
  const ops = [
    { fraction: cfg.colorAug ?? 0, salt: 0x3c3c3c3c, apply: colorAugment },
    { fraction: cfg.colorRotate ?? 0, salt: 0x1e1e1e1e, apply: colorRotate },
  ];
  return ops.filter((op) => op.fraction > 0);
}

/** Batch number `step` of a run. */
export async function trainingBatch(images: TrainImage[], cfg: TaskConfig, batch: number, seed: number, step: number): Promise<Batch> {
  if (images.length === 0) throw new Error('no training images');
  const rng = new Rng(stepSeed(seed, step));
  const shapes = batchShapes(cfg, batch);
  const inputs = Object.fromEntries(Object.entries(shapes.inputs).map(([k, d]) => [k, new Float32Array(d.reduce((a, b) => a * b, 1))]));
  const target = new Float32Array(shapes.target.reduce((a, b) => a * b, 1));
  const sp = sourcePatch(cfg);
  const clean = new Float32Array(cfg.channels * sp * sp);
  const ops = colorOps(cfg);
  for (let b = 0; b < batch; b++) {
    const img = images[rng.int(images.length)] as TrainImage;
    extractCrop(img, randomCrop(rng, img, sp), clean);
    for (const op of ops) if (rng.next() < op.fraction) op.apply(clean, sp * sp, rng);
    const s = await makeSample(cfg, { c: cfg.channels, h: sp, w: sp, data: clean }, rng.fork());
    for (const [k, v] of Object.entries(s.inputs)) (inputs[k] as Float32Array).set(v, b * v.length);
    target.set(s.target, b * s.target.length);
  }
  return { inputs, target };
}

/** Prefetching iterator over training batches starting at `step`. */
export class BatchStream {
  private pending: Promise<Batch> | null = null;
  private pendingStep = -1;

  constructor(private readonly images: TrainImage[], private readonly cfg: TaskConfig, private readonly batch: number, private readonly seed: number) {}

  /** Batch `step`; starts preparing `step + 1` before returning. */
  async get(step: number): Promise<Batch> {
    const b = this.pendingStep === step && this.pending ? await this.pending : await trainingBatch(this.images, this.cfg, this.batch, this.seed, step);
    this.pendingStep = step + 1;
    this.pending = trainingBatch(this.images, this.cfg, this.batch, this.seed, step + 1);
    this.pending.catch(() => undefined);
    return b;
  }
}

/** One held-out example: `crop` of `img` made into a pair; its colour operations and degradation
 * are seeded by (seed, index), so the same call gives the same pair. */
async function heldOutExample(img: TrainImage, crop: CropSpec, cfg: TaskConfig, seed: number, index: number): Promise<Batch> {
  const sp = sourcePatch(cfg);
  const clean = new Float32Array(cfg.channels * sp * sp);
  extractCrop(img, crop, clean);
  for (const op of colorOps(cfg)) {
    const rng = new Rng(stepSeed(seed ^ op.salt, index));
    if (rng.next() < op.fraction) op.apply(clean, sp * sp, rng);
  }
  const s = await makeSample(cfg, { c: cfg.channels, h: sp, w: sp, data: clean }, new Rng(stepSeed(seed ^ 0x5a5a5a5a, index)));
  return { inputs: s.inputs, target: s.target };
}

/** Fixed validation examples: one centre crop per held-out image, degradations (and colour
 * augmentation and rotation, on the same fractions as in training) seeded per image. */
export async function validationSet(images: TrainImage[], cfg: TaskConfig, seed: number): Promise<Batch[]> {
  const sp = sourcePatch(cfg);
  const out: Batch[] = [];
  for (const [i, img] of images.entries()) out.push(await heldOutExample(img, centerCrop(img, sp), cfg, seed, i));
  return out;
}

/** Crops of each held-out image in the trainer's final check (checkSet). */
export const CHECK_CROPS = 16;
/** Salt of the final check's seeds: other crops and other degradations than validationSet's. */
const CHECK_SALT = 0x0c4ec4ed;

/**
 * The final check of a run (trainer.ts): `perImage` crops of each held-out image at seeded random
 * places, degraded with other seeds than the validation crops. The validation crops chose the
 * best weights, so their score flatters them (a fine-tune that led its base by 0.09 dB on the 5
 * centre crops that picked its checkpoint was level with it here); the verdict is taken here.
 * One list per image, in order.
 */
export async function checkSet(images: TrainImage[], cfg: TaskConfig, seed: number, perImage = CHECK_CROPS): Promise<Batch[][]> {
  const sp = sourcePatch(cfg);
  const salted = seed ^ CHECK_SALT;
  const out: Batch[][] = [];
  for (const [i, img] of images.entries()) {
    const pairs: Batch[] = [];
    for (let k = 0; k < perImage; k++) {
      const index = i * perImage + k;
      pairs.push(await heldOutExample(img, randomCrop(new Rng(stepSeed(salted, index)), img, sp, false), cfg, salted, index));
    }
    out.push(pairs);
  }
  return out;
}
