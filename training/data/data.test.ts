// Data pipeline: MATLAB-compatible bicubic downscaling reproduces the published LR files, batches
// are a pure function of (seed, step), crops cover the eight dihedral transforms exactly, masks
// and noise behave, the split is deterministic and disjoint, and checkpoints reject damage.
import { describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { imresize, brushMask, scratchMask, gaussianNoise, jpegRoundTrip } from './degrade';
import { applyColorRotation, colorAugment, colorRotate, extractCrop, randomRotation } from './augment';
import { splitFiles, type TrainImage } from './images';
import { CHECK_CROPS, checkSet, trainingBatch, validationSet } from './loader';
import { makeSample, type TaskConfig } from './tasks';
import { loadPlanar } from '../eval/images';
import { psnr } from '../eval/metrics';
import { Rng } from '../rng';
import { readCheckpoint, readCheckpointStep, writeCheckpoint } from '../checkpoint';

const SR = '/work/shared/data/eval/sr/Set5';

describe('degradations', () => {
  it('bicubic downscaling matches the MATLAB-made LR files of Set5', async () => {
    for (const s of [2, 4]) {
      const hr = await loadPlanar(`${SR}/x${s}/HR/img_001.png`);
      const lr = await loadPlanar(`${SR}/x${s}/LR/img_001.png`);
      const mine = imresize(hr, hr.h / s, hr.w / s);
      mine.data = mine.data.map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255) / 255);
      expect(psnr(mine, lr)).toBeGreaterThan(55);
      // Rounding between the two passes (MATLAB on uint8) reproduces almost every pixel exactly.
      const exact = (x: Float32Array): number => x.reduce((a, v, i) => a + (Math.round(Math.min(1, Math.max(0, v)) * 255) === Math.round((lr.data[i] as number) * 255) ? 1 : 0), 0) / x.length;
      const rounded = imresize(hr, hr.h / s, hr.w / s, 255);
      expect(exact(rounded.data)).toBeGreaterThan(0.97);
      expect(exact(rounded.data)).toBeGreaterThan(exact(mine.data) + 0.05);
    }
  });

  it('noise, JPEG and masks', async () => {
    const rng = new Rng(1);
    const x = new Float32Array(64 * 64).fill(0.5);
    const y = gaussianNoise(x, 0.1, rng);
    const sd = Math.sqrt(y.reduce((a, v) => a + (v - 0.5) ** 2, 0) / y.length);
    expect(Math.abs(sd - 0.1)).toBeLessThan(0.005);
    const j = await jpegRoundTrip({ c: 1, h: 64, w: 64, data: y }, 30);
    expect(psnr(j, { c: 1, h: 64, w: 64, data: y })).toBeLessThan(40);
    const m = brushMask(64, 64, new Rng(2));
    const area = m.reduce((a, b) => a + b, 0) / m.length;
    expect(area).toBeGreaterThan(0.005);
    expect(area).toBeLessThan(0.9);
    const sc = scratchMask(64, 64, new Rng(3));
    expect(sc.some((v) => v === 1)).toBe(true);
    expect(sc.reduce((a, b) => a + b, 0) / sc.length).toBeLessThan(0.2);
  });
});

function synthetic(w: number, h: number): TrainImage {
  const data = new Uint8Array(w * h * 3).map((_, i) => (i * 37) % 251);
  return { file: 'synthetic', width: w, height: h, channels: 3, data, max: 255 };
}

describe('task samples', () => {
  it('denoise with blur, Poisson and JPEG; upscale, colorize and inpaint shapes', async () => {
    const clean = { c: 3, h: 16, w: 16, data: new Float32Array(3 * 256).map((_, i) => 0.2 + 0.6 * ((i * 7) % 16) / 16) };
    const inputs = [{ name: 'image', role: 'image' as const, channels: 3 }];
    const den = await makeSample({ task: 'denoise', channels: 3, patch: 16, sigma: 0, blur: [1, 1], poissonPeak: 20, jpegQuality: [10, 10], inputs }, clean, new Rng(4));
    const d = den.inputs.image as Float32Array;
    expect(d.every(Number.isFinite)).toBe(true);
    expect(psnr({ ...clean, data: d }, clean)).toBeLessThan(35);
    const up = await makeSample({ task: 'upscale', channels: 3, patch: 8, scale: 2, inputs }, clean, new Rng(1));
    expect(up.inputs.image?.length).toBe(3 * 64);
    const col = await makeSample({ task: 'colorize', channels: 3, patch: 16, inputs: [{ name: 'luma', role: 'luma', channels: 1 }] }, clean, new Rng(1));
    expect(col.inputs.luma?.length).toBe(256);
    expect(col.target.length).toBe(512);
    const inp = await makeSample({ task: 'inpaint', channels: 3, patch: 16, inputs: [...inputs, { name: 'mask', role: 'mask', channels: 1 }] }, clean, new Rng(1));
    const mask = inp.inputs.mask as Float32Array;
    expect(mask.some((v) => v === 1)).toBe(true);
    // outside the holes the input is the target; inside, the push-pull coarse fill (never the hole's content)
    mask.forEach((m, i) => { if (m === 0) expect(inp.inputs.image?.[i]).toBe(inp.target[i]); });
  });
});

describe('upscale degradations', () => {
  it('plain bicubic without options; blur, LR noise and JPEG with them (robust variant)', async () => {
    const img = await loadPlanar(path.join(SR, 'x2', 'HR', 'img_001.png')); // 'baby', 512x512
    const clean = new Float32Array(3 * 64 * 64);
    const patch = { c: 3, h: 64, w: 64, data: clean };
    for (let c = 0; c < 3; c++) for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) clean[(c * 64 + y) * 64 + x] = img.data[(c * img.h + 200 + y) * img.w + 200 + x] as number;
    const inputs = [{ name: 'image', role: 'image' as const, channels: 3 }];
    const base: TaskConfig = { task: 'upscale', channels: 3, patch: 32, scale: 2, inputs };
    const bicubic = imresize(patch, 32, 32);
    const plain = await makeSample(base, patch, new Rng(3));
    expect(plain.inputs.image).toEqual(bicubic.data);
    expect(plain.target).toBe(clean);
    const lr = (cfg: Partial<TaskConfig>, seed: number): Promise<Float32Array> =>
      makeSample({ ...base, ...cfg }, patch, new Rng(seed)).then((s) => s.inputs.image as Float32Array);
    const noisy = await lr({ sigma: 10 }, 3);
    const d = psnr({ c: 3, h: 32, w: 32, data: noisy }, bicubic);
    expect(d).toBeGreaterThan(25);
    expect(d).toBeLessThan(32);
    // Blur and JPEG each hit half the samples: over 8 seeds both outcomes occur, and a hit changes the LR.
    const blurred = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((k) => lr({ blur: [2, 2] }, k)));
    const blurDiff = blurred.map((x) => psnr({ c: 3, h: 32, w: 32, data: x }, bicubic));
    expect(blurDiff.some((p) => p === Infinity || p > 80)).toBe(true);
    expect(blurDiff.some((p) => p < 60)).toBe(true);
    const jpegged = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((k) => lr({ jpegQuality: [10, 10] }, k)));
    const jpegDiff = jpegged.map((x) => psnr({ c: 3, h: 32, w: 32, data: x }, bicubic));
    expect(jpegDiff.some((p) => p === Infinity || p > 80)).toBe(true);
    expect(jpegDiff.some((p) => p < 40)).toBe(true);
  });
});

describe('crops and batches', () => {
  it('the eight transforms are distinct permutations of the crop', () => {
    const img = synthetic(9, 7);
    const seen = new Set<string>();
    const base = new Float32Array(3 * 16);
    extractCrop(img, { x: 2, y: 1, size: 4, flip: false, rot: 0 }, base);
    for (const flip of [false, true]) for (let rot = 0; rot < 4; rot++) {
      const out = new Float32Array(3 * 16);
      extractCrop(img, { x: 2, y: 1, size: 4, flip, rot }, out);
      expect([...out].sort().join()).toBe([...base].sort().join());
      seen.add(out.join());
    }
    expect(seen.size).toBe(8);
  });

  it('batch k is a pure function of (seed, k)', async () => {
    const cfg: TaskConfig = { task: 'denoise', channels: 3, patch: 8, sigma: [0, 50], inputs: [{ name: 'image', role: 'image', channels: 3 }, { name: 'noise_level', role: 'noise_level', channels: 1 }] };
    const imgs = [synthetic(20, 20), synthetic(30, 16)];
    const a = await trainingBatch(imgs, cfg, 4, 7, 12);
    const b = await trainingBatch(imgs, cfg, 4, 7, 12);
    const c = await trainingBatch(imgs, cfg, 4, 7, 13);
    expect(a.target).toEqual(b.target);
    expect(a.inputs.image).toEqual(b.inputs.image);
    expect(a.inputs.noise_level).toEqual(b.inputs.noise_level);
    expect(a.target).not.toEqual(c.target);
    expect(a.inputs.noise_level?.length).toBe(4 * 64);
  });

  it('colour augmentation permutes the channels, raises saturation about the luma and keeps grey grey', () => {
    const plane = 4;
    // Pixels: a muted orange, a grey, a near-white red, black.
    const rgb = [[0.6, 0.4, 0.3], [0.5, 0.5, 0.5], [0.95, 0.8, 0.8], [0, 0, 0]];
    const x = new Float32Array(3 * plane);
    rgb.forEach((p, i) => p.forEach((v, k) => { x[k * plane + i] = v; }));
    const seen = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const y = Float32Array.from(x);
      colorAugment(y, plane, new Rng(seed));
      const px = (i: number): number[] => [0, 1, 2].map((k) => y[k * plane + i] as number);
      // Grey and black stay put; every value stays in [0, 1].
      px(1).forEach((v) => expect(v).toBeCloseTo(0.5, 6));
      expect(px(3)).toEqual([0, 0, 0]);
      expect([...y].every((v) => v >= 0 && v <= 1)).toBe(true);
      // The orange's channels are a permutation of its own, spread at least as far from their mean.
      const o = px(0);
      const order = [0, 1, 2].sort((a, b) => (o[b] as number) - (o[a] as number));
      seen.add(order.join());
      const spread = (o[order[0] as number] as number) - (o[order[2] as number] as number);
      expect(spread).toBeGreaterThanOrEqual(0.3 - 1e-6);
      expect(spread).toBeLessThanOrEqual(0.6 + 1e-6);
    }
    expect(seen.size).toBe(6);
    expect(() => colorAugment(new Float32Array(8), 4, new Rng(0))).toThrow(/RGB patch/);
  });

  it('colour rotation is a random orthogonal transform about the patch mean: distances kept, grey structure moved into chroma', () => {
    // A grey ramp: all its structure lies on the grey axis; mid-range values so nothing clips.
    const plane = 16;
    const x = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i++) for (let k = 0; k < 3; k++) x[k * plane + i] = 0.4 + 0.2 * (i / (plane - 1));
    const px = (t: Float32Array, i: number): number[] => [0, 1, 2].map((k) => t[k * plane + i] as number);
    const mean = (t: Float32Array): number[] => [0, 1, 2].map((k) => t.subarray(k * plane, (k + 1) * plane).reduce((a, b) => a + b, 0) / plane);
    let chroma = 0;
    for (let seed = 0; seed < 20; seed++) {
      const m = randomRotation(new Rng(seed));
      // Orthogonal: M M^T = I.
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
        const d = [0, 1, 2].reduce((s, k) => s + (m[3 * a + k] as number) * (m[3 * b + k] as number), 0);
        expect(d).toBeCloseTo(a === b ? 1 : 0, 9);
      }
      const y = Float32Array.from(x);
      colorRotate(y, plane, new Rng(seed));
      // The mean colour stays; pairwise distances between pixels are kept (no clipping here).
      mean(y).forEach((v, k) => expect(v).toBeCloseTo(mean(x)[k] as number, 5));
      const dist = (t: Float32Array, i: number, j: number): number => Math.hypot(...px(t, i).map((v, k) => v - (px(t, j)[k] as number)));
      expect(dist(y, 0, 15)).toBeCloseTo(dist(x, 0, 15), 5);
      expect(dist(y, 3, 9)).toBeCloseTo(dist(x, 3, 9), 5);
      // How far the ramp's end moved off the grey axis (its chroma).
      const e = px(y, 15), l = (e[0]! + e[1]! + e[2]!) / 3;
      chroma += Math.hypot(e[0]! - l, e[1]! - l, e[2]! - l);
    }
    // Grey structure becomes coloured on average (a fixed grey axis would leave it at 0).
    expect(chroma / 20).toBeGreaterThan(0.03);
    // Out-of-range results are clipped to [0, 1].
    const sat = new Float32Array([0, 1, 0, 1, 0, 1]);
    applyColorRotation(sat, 2, [0, 0, 2, 2, 0, 0, 0, 2, 0]);
    expect([...sat].every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(() => colorRotate(new Float32Array(8), 4, new Rng(0))).toThrow(/RGB patch/);
  });

  it('colour rotation reaches the given fraction of training and held-out patches, and other runs keep their batches', async () => {
    const base: TaskConfig = { task: 'denoise', channels: 3, patch: 8, sigma: 0, inputs: [{ name: 'image', role: 'image', channels: 3 }] };
    const img = synthetic(8, 8);
    const plain = new Float32Array(3 * 64);
    extractCrop(img, { x: 0, y: 0, size: 8, flip: false, rot: 0 }, plain);
    const key = [...plain].sort().join();
    // The image fills the patch, so an unrotated patch holds the plain crop's values in some order.
    const changed = (t: Float32Array, n: number): number => Array.from({ length: n }, (_, b) => t.subarray(b * 192, (b + 1) * 192))
      .filter((p) => [...p].sort().join() !== key).length;
    const none = await trainingBatch([img], base, 64, 3, 0);
    expect(changed(none.target, 64)).toBe(0);
    const n = changed((await trainingBatch([img], { ...base, colorRotate: 0.3 }, 64, 3, 0)).target, 64);
    expect(n).toBeGreaterThan(8);
    expect(n).toBeLessThan(32);
    // A run without the option draws nothing more: its batches equal an unset option's.
    expect((await trainingBatch([img], { ...base, colorRotate: 0 }, 64, 3, 0)).target).toEqual(none.target);
    const vNone = await validationSet(Array.from({ length: 40 }, () => img), base, 3);
    const vRot = await validationSet(Array.from({ length: 40 }, () => img), { ...base, colorRotate: 0.3 }, 3);
    const vn = vRot.filter((b, i) => b.target.some((v, j) => Math.abs(v - (vNone[i]!.target[j] as number)) > 1e-6)).length;
    expect(vn).toBeGreaterThan(4);
    expect(vn).toBeLessThan(24);
  });

  it('colour augmentation reaches the given fraction of training and held-out patches, and only those', async () => {
    const base: TaskConfig = { task: 'denoise', channels: 3, patch: 8, sigma: 0, inputs: [{ name: 'image', role: 'image', channels: 3 }] };
    const img = synthetic(8, 8);
    const plain = new Float32Array(3 * 64);
    extractCrop(img, { x: 0, y: 0, size: 8, flip: false, rot: 0 }, plain);
    const changed = (t: Float32Array, n: number): number => Array.from({ length: n }, (_, b) => t.subarray(b * 192, (b + 1) * 192))
      .filter((p) => [...p].sort().join() !== [...plain].sort().join()).length;
    const none = await trainingBatch([img], base, 64, 3, 0);
    expect(changed(none.target, 64)).toBe(0);
    const half = await trainingBatch([img], { ...base, colorAug: 0.5 }, 64, 3, 0);
    expect(changed(half.target, 64)).toBeGreaterThan(16);
    expect(changed(half.target, 64)).toBeLessThan(48);
    const all = await trainingBatch([img], { ...base, colorAug: 1 }, 64, 3, 0);
    expect(changed(all.target, 64)).toBeGreaterThan(56);
    const val = await validationSet(Array.from({ length: 40 }, () => img), { ...base, colorAug: 0.5 }, 3);
    const valChanged = val.filter((b) => changed(b.target, 1) === 1).length;
    expect(valChanged).toBeGreaterThan(8);
    expect(valChanged).toBeLessThan(32);
    expect((await validationSet([img], { ...base, colorAug: 0.5 }, 3))[0]?.target).toEqual(val[0]?.target);
  });

  it('the final check draws fresh pairs from each held-out image: other places and noise than the validation crops, the same on every call', async () => {
    const cfg: TaskConfig = { task: 'denoise', channels: 3, patch: 8, sigma: 25, inputs: [{ name: 'image', role: 'image', channels: 3 }] };
    const images = [synthetic(40, 32), { ...synthetic(40, 32), file: 'second' }];
    const val = await validationSet(images, cfg, 3);
    const sets = await checkSet(images, cfg, 3);
    expect(sets.map((s) => s.length)).toEqual([CHECK_CROPS, CHECK_CROPS]);
    const key = (t: Float32Array): string => Array.from(t, (v) => v.toFixed(4)).join();
    const targets = sets.flat().map((b) => key(b.target));
    // crops at several places of each image, none of them the validation crop
    expect(new Set(targets.slice(0, CHECK_CROPS)).size).toBeGreaterThan(CHECK_CROPS / 2);
    for (const v of val) expect(targets).not.toContain(key(v.target));
    // the same place degraded again draws other noise: the check's inputs are not validation's
    const centre = await checkSet(images.map((img) => ({ ...img, width: 8, height: 8, data: img.data.slice(0, 8 * 8 * 3) })), cfg, 3, 1);
    const centreVal = await validationSet(images.map((img) => ({ ...img, width: 8, height: 8, data: img.data.slice(0, 8 * 8 * 3) })), cfg, 3);
    expect(key(centre[0]![0]!.target)).toBe(key(centreVal[0]!.target));
    expect(key(centre[0]![0]!.inputs.image!)).not.toBe(key(centreVal[0]!.inputs.image!));
    // deterministic
    expect((await checkSet(images, cfg, 3)).flat().map((b) => key(b.inputs.image!))).toEqual(sets.flat().map((b) => key(b.inputs.image!)));
  });

  it('the held-out split is deterministic, disjoint and stable when files are added', () => {
    const files = Array.from({ length: 50 }, (_, i) => `/d/img${i}.png`);
    const s1 = splitFiles(files, '/d', 0.2, 0);
    const s2 = splitFiles([...files, '/d/new.png'], '/d', 0.2, 0);
    expect(s1.val.length).toBeGreaterThan(2);
    expect(s1.train.filter((f) => s1.val.includes(f))).toEqual([]);
    expect(s2.val.filter((f) => f !== '/d/new.png')).toEqual(s1.val);
  });
});

describe('checkpoints', () => {
  it('round-trip, and a truncated file is a clear error', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-ckpt-'));
    try {
      const file = path.join(dir, 'run.ckpt');
      const p = new Map([['w', Float32Array.from([1, 2, 3])]]);
      const meta = { step: 5, seed: 1, configKey: 'k', bestPsnr: 20, bestStep: 5, basePsnr: null, roundsWithoutImprovement: 0, seconds: 1, history: [] };
      await writeCheckpoint(file, { meta, state: { t: 5, params: p, m: p, v: p }, best: p });
      const ck = await readCheckpoint(file);
      expect(ck.meta.step).toBe(5);
      expect([...(ck.state.params.get('w') ?? [])]).toEqual([1, 2, 3]);
      expect(await readCheckpointStep(file)).toBe(5);
      expect(await readCheckpointStep(path.join(dir, 'missing.ckpt'))).toBeNull();
      const bytes = await fs.readFile(file);
      await fs.writeFile(file, bytes.subarray(0, bytes.length - 5));
      await expect(readCheckpoint(file)).rejects.toThrow(`${file}: truncated checkpoint`);
      await fs.writeFile(file, 'hello');
      await expect(readCheckpoint(file)).rejects.toThrow(`${file}: not a training checkpoint`);
      expect(await readCheckpointStep(file)).toBeNull();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
