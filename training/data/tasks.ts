// What one training example is for each task: from a clean patch, the model's inputs (by manifest
// role: image, noise_level, mask, luma) and the target. Denoise: Gaussian noise of fixed or random
// sigma with its noise-level map, optional blur, Poisson noise and JPEG; upscale: MATLAB bicubic
// downscale, optionally after a blur of the HR patch (half the samples) and followed by Gaussian
// noise (when sigma is set) and JPEG (half the samples): the robust "real scan" variant; colorize: Lab split (L in, ab out) with colour points and old-print looks (colorizeSample.ts); inpaint: holes of every shape (masks.ts) in colour, gray and old-looking patches; detect-damage: old-looking patches with damage composited, target the damage mask (damageSample.ts).
import type { InputRole, TaskName } from '../../models/manifest';
import type { Rng } from '../rng';
import { colorizeExample } from './colorizeSample';
import { gaussianBlur, gaussianNoise, imresize, jpegRoundTrip, poissonNoise, quantize8, type Planar } from './degrade';
import { damageExample, type DamageMix } from './damageSample';
import { randomHoleMask, type DamageLibrary } from './masks';
import { oldPrintLook, oldPrintPair, toGray } from './oldPrint';
import { pushPullFill } from '../../electron/engine/pushPull';
import { addBankNoise, type NoiseBank } from './noisyCollection';

export interface ModelInputRef { name: string; role: InputRole; channels: number }

export interface TaskConfig {
  task: TaskName;
  /** Channels of the clean images (1 gray, 3 RGB). */
  channels: 1 | 3;
  /** Model input patch size (low-resolution side for upscale). */
  patch: number;
  scale?: number;
  /** Denoise: sigma on the 0-255 scale, fixed or a [min, max] range. Upscale: noise added to the LR input (none when unset). */
  sigma?: number | [number, number];
  /** Denoise: mix in Poisson noise with this peak (photons at white) on half the samples. */
  poissonPeak?: number;
  /** Denoise: JPEG round trip with quality in this range on half the samples. */
  jpegQuality?: [number, number];
  /** Denoise/restore: Gaussian blur of sigma in this range (pixels) on half the samples. */
  blur?: [number, number];
  /** Round the degraded input to 8 bits, as a saved file would be: always (true), or on this
   * fraction of the samples (denoise: real photos are 8-bit files, clipped and rounded). */
  quantize?: boolean | number;
  /** Denoise/upscale, RGB: fraction of the clean patches given a random channel permutation and
   * saturation gain (augment.ts colorAugment) before they are degraded; training and held-out alike. */
  colorAug?: number;
  /** Denoise, RGB: fraction of the clean patches given a random orthogonal colour transform about
   * their mean colour (augment.ts colorRotate), after colorAug; training and held-out alike. */
  colorRotate?: number;
  inputs: ModelInputRef[];
  /** Denoise: old-print restoration pairs (oldPrint.ts oldPrintPair: blur, screens, film grain,
   * JPEG; tone kept) instead of noise; the noise-level input gets the fixed `sigma`. */
  oldPrint?: boolean;
  /** Inpaint/detect-damage: real film-damage shapes (masks.ts); procedural shapes only without. */
  damage?: DamageLibrary;
  /** Detect-damage: shares of thin scratches and gray patches (damageSample.ts DEFAULT_DAMAGE_MIX when unset). */
  damageMix?: DamageMix;
  /** Colorize: colour-point counts drawn per frame of this side and scaled to the patch (colorizeSample.ts). */
  hintFrame?: number;
  /** Denoise, self-supervised (--noisy): the collection's own noise (noisyCollection.ts) added to
   * its pseudo-clean photos instead of synthetic noise (with `oldPrint`: as the old-print pairs'
   * grain, after their blur and screens); the noise-level input gets the fixed `sigma`. */
  noiseBank?: NoiseBank;
}

export interface Sample { inputs: Record<string, Float32Array>; target: Float32Array }

/** Side of the clean crop a sample needs. */
export function sourcePatch(cfg: TaskConfig): number {
  return cfg.task === 'upscale' ? cfg.patch * (cfg.scale ?? 2) : cfg.patch;
}

/** Shapes of the model inputs and of the target for a batch. */
export function batchShapes(cfg: TaskConfig, batch: number): { inputs: Record<string, number[]>; target: number[] } {
  const p = cfg.patch, s = sourcePatch(cfg);
  const inputs = Object.fromEntries(cfg.inputs.map((i) => [i.name, [batch, i.channels, p, p]]));
  const tc = cfg.task === 'colorize' ? 2 : cfg.task === 'detect-damage' ? 1 : cfg.channels;
  return { inputs, target: [batch, tc, s, s] };
}

function pickSigma(cfg: TaskConfig, rng: Rng): number {
  const s = cfg.sigma ?? 25;
  return Array.isArray(s) ? rng.uniform(s[0], s[1]) : s;
}

/** One example from a clean CHW patch of side sourcePatch(cfg). */
export async function makeSample(cfg: TaskConfig, clean: Planar, rng: Rng): Promise<Sample> {
  const inputs: Record<string, Float32Array> = {};
  const byRole = (role: ModelInputRef['role']): ModelInputRef | undefined => cfg.inputs.find((i) => i.role === role);
  const n = cfg.patch * cfg.patch;
  const q = cfg.quantize;
  // A fraction draws from the generator only when it is strictly between 0 and 1, so configurations
  // without it keep their exact batches.
  const finish = (x: Float32Array): Float32Array => (q === true || q === 1 || (typeof q === 'number' && q > 0 && q < 1 && rng.next() < q) ? quantize8(x) : x);
  switch (cfg.task) {
    case 'denoise': {
      const sigma = pickSigma(cfg, rng);
      if (cfg.noiseBank && !cfg.oldPrint) {
        const x = Float32Array.from(clean.data);
        addBankNoise(x, cfg.patch, cfg.noiseBank, rng);
        inputs[byRole('image')?.name ?? 'image'] = quantize8(x);
        const nl = byRole('noise_level');
        if (nl) inputs[nl.name] = new Float32Array(n).fill(sigma / 255);
        return { inputs, target: clean.data };
      }
      if (cfg.oldPrint) {
        const bank = cfg.noiseBank;
        const pair = oldPrintPair(clean, rng, bank ? (input) => addBankNoise(input.data, cfg.patch, bank, rng) : undefined);
        let x = pair.input.data;
        if (pair.jpeg !== null) x = (await jpegRoundTrip(pair.input, pair.jpeg)).data;
        inputs[byRole('image')?.name ?? 'image'] = quantize8(x);
        const nl = byRole('noise_level');
        if (nl) inputs[nl.name] = new Float32Array(n).fill(sigma / 255);
        return { inputs, target: pair.target.data };
      }
      let x = clean.data;
      if (cfg.blur && rng.next() < 0.5) x = gaussianBlur(clean, rng.uniform(cfg.blur[0], cfg.blur[1])).data;
      if (cfg.poissonPeak && rng.next() < 0.5) x = poissonNoise(x, cfg.poissonPeak, rng);
      x = gaussianNoise(x, sigma / 255, rng);
      if (cfg.jpegQuality && rng.next() < 0.5) {
        x = (await jpegRoundTrip({ ...clean, data: x }, Math.round(rng.uniform(cfg.jpegQuality[0], cfg.jpegQuality[1])))).data;
      }
      inputs[byRole('image')?.name ?? 'image'] = finish(x);
      const nl = byRole('noise_level');
      if (nl) inputs[nl.name] = new Float32Array(n).fill(sigma / 255);
      return { inputs, target: clean.data };
    }
    case 'upscale': {
      const hr = cfg.blur && rng.next() < 0.5 ? gaussianBlur(clean, rng.uniform(cfg.blur[0], cfg.blur[1])) : clean;
      const lr = imresize(hr, cfg.patch, cfg.patch, cfg.quantize === true ? 255 : 0);
      let x = lr.data;
      if (cfg.sigma !== undefined) x = gaussianNoise(x, pickSigma(cfg, rng) / 255, rng);
      if (cfg.jpegQuality && rng.next() < 0.5) {
        x = (await jpegRoundTrip({ ...lr, data: x }, Math.round(rng.uniform(cfg.jpegQuality[0], cfg.jpegQuality[1])))).data;
      }
      inputs[byRole('image')?.name ?? 'image'] = finish(x);
      return { inputs, target: clean.data };
    }
    case 'colorize': {
      // Models without hint inputs (automatic only) get L alone; their samples draw the same way.
      const ex = colorizeExample(clean, rng, cfg.hintFrame);
      inputs[byRole('luma')?.name ?? 'luma'] = ex.luma;
      const ha = byRole('hint_ab');
      const hm = byRole('hint_mask');
      if (ha) inputs[ha.name] = ex.hintAb;
      if (hm) inputs[hm.name] = ex.hintMask;
      return { inputs, target: ex.ab };
    }
    case 'inpaint': {
      // A third gray, a fifth old-looking: old prints are what gets repaired.
      let img: Planar = { ...clean, data: Float32Array.from(clean.data) };
      if (rng.next() < 0.33) toGray(img);
      if (rng.next() < 0.2) img = oldPrintLook(img, rng);
      const mask = randomHoleMask(cfg.patch, rng, cfg.damage);
      // The holes get the engine's coarse push-pull fill (whatever they held is ignored).
      const x = Float32Array.from(img.data);
      pushPullFill(x, img.c, mask, cfg.patch, cfg.patch);
      inputs[byRole('image')?.name ?? 'image'] = x;
      inputs[byRole('mask')?.name ?? 'mask'] = mask;
      return { inputs, target: img.data };
    }
    case 'detect-damage': {
      const ex = await damageExample(clean, rng, cfg.damage, cfg.damageMix);
      inputs[byRole('image')?.name ?? 'image'] = ex.image;
      return { inputs, target: ex.mask };
    }
  }
}
