// Repair training data on real files: real film-damage masks decoded from shared/data/train/damage,
// hole masks of every kind, damage-detection examples whose target marks exactly where damage
// was composited (and nothing on the clean share), and inpainting examples whose holes are zero.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, linkSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '../rng';
import { damageCrop, HOLE_KINDS, holeMask, loadDamageLibrary, randomHoleMask } from './masks';
import { CLEAN_SHARE, damageExample, speckMask } from './damageSample';
import { drawThinContent } from './thinContent';
import { makeSample } from './tasks';
import { loadTrainImage } from './images';
import { extractCrop, centerCrop } from './augment';
import { pushPullFill } from '../../electron/engine/pushPull';

const DAMAGE = '/work/shared/data/train/damage';
const side = 64;

/** A small library: the first 3 masks of each kind, hard-linked into a temporary folder. */
async function smallLibrary(): Promise<Awaited<ReturnType<typeof loadDamageLibrary>>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'damage-'));
  for (const kind of readdirSync(DAMAGE)) {
    mkdirSync(path.join(dir, kind));
    for (const f of readdirSync(path.join(DAMAGE, kind)).sort().slice(0, 3)) linkSync(path.join(DAMAGE, kind, f), path.join(dir, kind, f));
  }
  return loadDamageLibrary(dir);
}

async function photoPatch(): Promise<{ c: number; h: number; w: number; data: Float32Array }> {
  const img = await loadTrainImage('/work/shared/data/train/color/T91/t1.png', 3);
  const data = new Float32Array(3 * side * side);
  extractCrop(img, centerCrop(img, side), data);
  return { c: 3, h: side, w: side, data };
}

describe('repair training data', () => {
  it('decodes real damage masks and crops them with damage inside', async () => {
    const lib = await smallLibrary();
    expect(lib.masks.length).toBe(27);
    expect(lib.masks[0]!.width).toBe(400);
    const rng = new Rng(1);
    for (let k = 0; k < 10; k++) {
      const a = damageCrop(lib, side, rng);
      const sum = a.reduce((s, v) => s + v, 0);
      expect(sum).toBeGreaterThan(0);
      expect(Math.max(...a)).toBeLessThanOrEqual(1);
    }
  });

  it('every hole kind gives a binary mask with some hole and not the whole patch', async () => {
    const lib = await smallLibrary();
    const rng = new Rng(2);
    for (const { kind } of HOLE_KINDS) {
      let area = 0;
      for (let k = 0; k < 8; k++) {
        const m = holeMask(kind, side, rng, lib);
        expect(m.every((v) => v === 0 || v === 1)).toBe(true);
        area += m.reduce((s, v) => s + v, 0) / m.length / 8;
      }
      expect(area, kind).toBeGreaterThan(0.001);
      expect(area, kind).toBeLessThan(0.7);
    }
    expect(randomHoleMask(side, rng, lib).length).toBe(side * side);
  });

  it('damage examples mark the composited damage; about CLEAN_SHARE carry none', async () => {
    const lib = await smallLibrary();
    const clean = await photoPatch();
    const rng = new Rng(3);
    let none = 0;
    const n = 60;
    for (let k = 0; k < n; k++) {
      const ex = await damageExample(clean, rng.fork(), lib);
      expect(ex.image.length).toBe(3 * side * side);
      const marked = ex.mask.reduce((s, v) => s + v, 0);
      if (marked === 0) none++;
      else {
        // where the target is set, the photo was changed (unless the tone happened to match)
        let changed = 0;
        for (let i = 0; i < side * side; i++) if (ex.mask[i] && Math.abs((ex.image[i] as number) - (clean.data[i] as number)) > 0.02) changed++;
        expect(changed / marked).toBeGreaterThan(0.2);
      }
    }
    expect(none / n).toBeGreaterThan(CLEAN_SHARE - 0.15);
    expect(none / n).toBeLessThan(CLEAN_SHARE + 0.25);
    expect(speckMask(side, new Rng(4)).some((v) => v > 0)).toBe(true);
  });

  it('thin real content (the negatives) changes a thin share of the patch; without it the samples are as before', async () => {
    const clean = await photoPatch();
    const rng = new Rng(6);
    for (let k = 0; k < 20; k++) {
      const img = { ...clean, data: Float32Array.from(clean.data) };
      drawThinContent(img, rng.fork());
      let changed = 0;
      for (let i = 0; i < side * side; i++) if (Math.abs((img.data[i] as number) - (clean.data[i] as number)) > 0.05) changed++;
      // lines a few pixels wide: some of the patch, never most of it
      expect(changed).toBeGreaterThan(0);
      expect(changed / (side * side)).toBeLessThan(0.35);
    }
    const before = await damageExample(clean, new Rng(9), undefined, { thinScratches: 0.25, gray: 0.33 });
    const none = await damageExample(clean, new Rng(9), undefined, { thinScratches: 0.25, gray: 0.33, thinContent: 0 });
    const some = await damageExample(clean, new Rng(9), undefined, { thinScratches: 0.25, gray: 0.33, thinContent: 1 });
    expect(Array.from(none.image)).toEqual(Array.from(before.image));
    expect(Array.from(some.image)).not.toEqual(Array.from(before.image));
  });

  it('inpaint samples hold the push-pull fill in the holes and the target elsewhere', async () => {
    const clean = await photoPatch();
    const s = await makeSample({ task: 'inpaint', channels: 3, patch: side, inputs: [{ name: 'image', role: 'image', channels: 3 }, { name: 'mask', role: 'mask', channels: 1 }] }, clean, new Rng(5));
    const mask = s.inputs.mask!, img = s.inputs.image!;
    const coarse = Float32Array.from(s.target);
    pushPullFill(coarse, 3, mask, side, side);
    expect(Array.from(img)).toEqual(Array.from(coarse));
    expect(mask.some((v) => v === 1)).toBe(true);
  });
});
