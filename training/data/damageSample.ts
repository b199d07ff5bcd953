// One damage-detection training example: a clean patch made old (gray on a third, old-print look
// on half), with damage composited on most samples: real film-damage shapes from the library and
// procedural scratches and specks, each light or dark at an opacity of 0.5-1; then a mild blur
// and JPEG on some, as a scan of the damaged print would be. The target is 1 where the damage's
// opacity reaches DAMAGE_THRESHOLD. A quarter of the samples carry no damage at all, so thin
// branches, wires, text and eyelashes are learnt as content; with `thinContent`, such content is
// also drawn into that share of the patches before they are made old (target 0).
import type { Rng } from '../rng';
import { compositeTone, gaussianBlur, jpegRoundTrip, scratchMask, type Planar } from './degrade';
import { damageCrop, type DamageLibrary } from './masks';
import { oldPrintLook, toGray } from './oldPrint';
import { drawThinContent } from './thinContent';

/** Opacity at which a composited pixel counts as damage in the target. */
export const DAMAGE_THRESHOLD = 0.25;
/** Share of samples without damage. */
export const CLEAN_SHARE = 0.25;

/** What the samples hold: the share of damage layers that are thin procedural scratches (the
 * rest: real shapes and, a fixed 15%, specks), the share of patches made gray and the share given
 * thin real content (wires, branches, frames, text: ./thinContent.ts) as negatives. */
export interface DamageMix { thinScratches: number; gray: number; thinContent?: number }
export const DEFAULT_DAMAGE_MIX: DamageMix = { thinScratches: 0.25, gray: 0.33 };
/** Share of damage layers that are specks; thin scratches may take up to the rest. */
export const SPECK_SHARE = 0.15;

/** Small discs (dust, specks) of radius 0.5-2.5 px. */
export function speckMask(side: number, rng: Rng, count = 3 + rng.int(30)): Float32Array {
  const m = new Float32Array(side * side);
  for (let k = 0; k < count; k++) {
    const cx = rng.uniform(0, side), cy = rng.uniform(0, side), r = rng.uniform(0.5, 2.5);
    for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(side - 1, Math.ceil(cy + r)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(side - 1, Math.ceil(cx + r)); x++) {
        const d = Math.hypot(x - cx, y - cy);
        if (d <= r + 0.5) m[y * side + x] = Math.max(m[y * side + x] as number, Math.min(1, r + 0.5 - d));
      }
    }
  }
  return m;
}

/** One damage layer's opacity: a real shape (60% by default), thin scratches (25%) or specks (15%). */
export function damageLayer(side: number, rng: Rng, thinScratches: number, lib?: DamageLibrary): Float32Array {
  const u = rng.next();
  if (lib && u < 1 - SPECK_SHARE - thinScratches) return damageCrop(lib, side, rng);
  if (u < 1 - SPECK_SHARE) return scratchMask(side, side, rng);
  return speckMask(side, rng);
}

export interface DamageExample { image: Float32Array; mask: Float32Array }

export async function damageExample(clean: Planar, rng: Rng, lib?: DamageLibrary, mix: DamageMix = DEFAULT_DAMAGE_MIX): Promise<DamageExample> {
  const side = clean.w;
  let img: Planar = { ...clean, data: Float32Array.from(clean.data) };
  if (mix.thinContent && rng.next() < mix.thinContent) drawThinContent(img, rng);
  if (rng.next() < mix.gray) toGray(img);
  if (rng.next() < 0.5) img = oldPrintLook(img, rng);
  const target = new Float32Array(side * side);
  if (rng.next() >= CLEAN_SHARE) {
    for (let k = 0, layers = 1 + rng.int(3); k < layers; k++) {
      const alpha = damageLayer(side, rng, mix.thinScratches, lib);
      const light = rng.next() < 0.6;
      const tone = light ? rng.uniform(0.75, 1) : rng.uniform(0, 0.3);
      const opacity = rng.uniform(0.5, 1);
      compositeTone(img, alpha, tone, opacity);
      for (let i = 0; i < target.length; i++) if ((alpha[i] as number) * opacity >= DAMAGE_THRESHOLD) target[i] = 1;
    }
  }
  if (rng.next() < 0.3) img = gaussianBlur(img, rng.uniform(0.3, 0.8));
  if (rng.next() < 0.3) img = await jpegRoundTrip(img, Math.round(rng.uniform(50, 95)));
  return { image: img.data, mask: target };
}
