// processFile end to end on real files: sharp-decoded PNGs from shared/data, real ONNX Runtime
// sessions of small random models (test/models.ts), outputs written and read back.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../imageio/read';
import { readProcessing } from '../imageio/xmp';
import { createCatalog, pickModel } from './catalog';
import { srgbToLab } from './color/lab';
import { SessionPool } from './ort';
import { processFile } from './processFile';
import type { FileProgress, ProcessFileRequest } from './protocol';
import type { PickedModel } from './tasks/types';
import { testColorizer, testDenoiser, testInpainter, testUpsampler, writeModelDir, type ModelDir } from './test/models';

const DATA = '/work/shared/data/eval';
let dir: ModelDir;
let tmp: string;
let pool: SessionPool;
let known: PickedModel[];

beforeAll(async () => {
  const jpegDenoiser = testDenoiser(3, 4, 7);
  jpegDenoiser.entry = { ...jpegDenoiser.entry, id: 'test-denoise-jpeg', file: 'test-denoise-jpeg.onnx', degradations: ['8-bit', 'jpeg'] };
  dir = await writeModelDir([testDenoiser(3), testDenoiser(1), testUpsampler(2), testColorizer(), testInpainter(), jpegDenoiser]);
  known = dir.entries.map((entry) => ({ entry, path: path.join(dir.dir, entry.file) }));
  tmp = await mkdtemp(path.join(os.tmpdir(), 'engine-process-'));
  pool = new SessionPool({ provider: 'cpu', threads: 2 });
  // a colour crop, a gray crop, an RGBA version and a 16-bit version
  await sharp(path.join(DATA, 'CBSD68/101085.png')).extract({ left: 0, top: 0, width: 150, height: 110 }).toFile(path.join(tmp, 'color.png'));
  await sharp(path.join(DATA, 'Set12/01.png')).extract({ left: 0, top: 0, width: 120, height: 90 }).toColourspace('b-w').png().toFile(path.join(tmp, 'gray.png'));
  await sharp(path.join(tmp, 'color.png')).ensureAlpha(0.5).toFile(path.join(tmp, 'rgba.png'));
  await sharp(path.join(tmp, 'color.png')).toColourspace('rgb16').png().toFile(path.join(tmp, 'color16.png'));
  await sharp(path.join(tmp, 'color.png')).jpeg({ quality: 75 }).toFile(path.join(tmp, 'color-q75.jpg'));
  await sharp(path.join(tmp, 'color.png')).jpeg({ quality: 98 }).toFile(path.join(tmp, 'color-q98.jpg'));
  await sharp(path.join(tmp, 'gray.png')).toColourspace('b-w').jpeg({ quality: 75 }).toFile(path.join(tmp, 'gray-q75.jpg'));
  // mask: a white rectangle on black
  const m = Buffer.alloc(150 * 110);
  for (let y = 40; y < 70; y++) for (let x = 50; x < 100; x++) m[y * 150 + x] = 255;
  await sharp(m, { raw: { width: 150, height: 110, channels: 1 } }).png().toFile(path.join(tmp, 'mask.png'));
});

afterAll(async () => {
  await pool.releaseAll();
  await dir.cleanup();
  await rm(tmp, { recursive: true, force: true });
});

function deps(models: PickedModel[] = known, onProgress?: (p: FileProgress) => void) {
  const catalog = createCatalog(models, async (id) => {
    const m = models.find((k) => k.entry.id === id);
    if (!m) throw new Error(`${id}: no such model`);
    return m;
  });
  return { catalog, sessions: pool, tile: 64, log: () => undefined, onProgress };
}

function req(input: string, output: string, steps: ProcessFileRequest['steps'], extra: Partial<ProcessFileRequest> = {}): ProcessFileRequest {
  return { jobId: 'j', input: path.join(tmp, input), output: path.join(tmp, output), steps, format: 'same', ...extra };
}

describe('model choice', () => {
  it('prefers a gray model for gray images and filters upscalers by scale', () => {
    expect(pickModel('denoise', { channels: 1 }, known).entry.id).toBe('test-denoise-gray');
    expect(pickModel('denoise', { channels: 3 }, known).entry.id).toBe('test-denoise-color');
    expect(() => pickModel('upscale', { scale: 4 }, known)).toThrow('no trained model for upscale x4 yet; see README (Models)');
  });
});

describe('model choice by the input file', () => {
  it('denoises a colour JPEG with the model trained on JPEG and says why; PNGs and gray JPEGs keep their default', async () => {
    const jpeg = await processFile(req('color-q75.jpg', 'out-q75.png', [{ task: 'denoise', sigma: 'auto' }]), deps());
    expect(jpeg.steps[0]).toMatchObject({ model: 'test-denoise-jpeg', settings: { input: 'JPEG q75', sigmaMode: 'auto' } });
    const png = await processFile(req('color.png', 'out-png.png', [{ task: 'denoise', sigma: 20 }]), deps());
    expect(png.steps[0]!.model).toBe('test-denoise-color');
    expect(png.steps[0]!.settings.input).toBeUndefined();
    const fine = await processFile(req('color-q98.jpg', 'out-q98.png', [{ task: 'denoise', sigma: 20 }]), deps());
    expect(fine.steps[0]).toMatchObject({ model: 'test-denoise-jpeg', settings: { input: 'JPEG q98' } });
    const gray = await processFile(req('gray-q75.jpg', 'out-gray-q75.png', [{ task: 'denoise', sigma: 20 }]), deps());
    expect(gray.steps[0]!.model).toBe('test-denoise-gray');
  });

  it('keeps an explicit model for a JPEG', async () => {
    const res = await processFile(req('color-q75.jpg', 'out-q75-explicit.png', [{ task: 'denoise', sigma: 20, model: 'test-denoise-color' }]), deps());
    expect(res.steps[0]!.model).toBe('test-denoise-color');
    expect(res.steps[0]!.settings.input).toBeUndefined();
  });
});

describe('processFile', () => {
  it('denoises a colour PNG, equal to a whole-image session run, with per-tile progress and a processing record', async () => {
    const progress: FileProgress[] = [];
    const res = await processFile(req('color.png', 'out-dn.png', [{ task: 'denoise', sigma: 25 }]), deps(known, (p) => progress.push(p)));
    expect(res.steps).toEqual([{ task: 'denoise', model: 'test-denoise-color', settings: { sigma: 25, sigmaMode: 'manual' } }]);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toMatchObject({ tilesDone: progress.at(-1)!.tilesTotal, tile: 64 });
    const out = await readImage(res.output);
    const inp = await readImage(path.join(tmp, 'color.png'));
    expect([out.raster.width, out.raster.height, out.raster.channels]).toEqual([150, 110, 3]);
    // reference: one session run on the whole image
    const { width: w, height: h } = inp.raster;
    const x = new Float32Array(3 * w * h);
    for (let c = 0; c < 3; c++) for (let p = 0; p < w * h; p++) x[c * w * h + p] = inp.raster.data[p * 3 + c]! / 255;
    const ref = await (await pool.get(dir.pathOf('test-denoise-color'))).run({
      image: { data: x, dims: [1, 3, h, w] },
      noise_level: { data: new Float32Array(w * h).fill(25 / 255), dims: [1, 1, h, w] },
    });
    let worst = 0;
    let changed = 0;
    for (let c = 0; c < 3; c++)
      for (let y = 5; y < h - 5; y++)
        for (let xx = 5; xx < w - 5; xx++) {
          const p = y * w + xx;
          const want = Math.min(255, Math.max(0, Math.round(ref.data[c * w * h + p]! * 255)));
          worst = Math.max(worst, Math.abs(out.raster.data[p * 3 + c]! - want));
          if (out.raster.data[p * 3 + c] !== inp.raster.data[p * 3 + c]) changed++;
        }
    expect(worst).toBeLessThanOrEqual(1);
    expect(changed).toBeGreaterThan(1000);
    const record = readProcessing(out.meta.xmp!);
    expect(record?.models).toBe('test-denoise-color');
  });

  it('uses the gray model for a gray image and estimates sigma', async () => {
    const res = await processFile(req('gray.png', 'out-gray.png', [{ task: 'denoise', sigma: 'auto' }]), deps());
    expect(res.steps[0]!.model).toBe('test-denoise-gray');
    expect(res.steps[0]!.settings.sigmaMode).toBe('auto');
    expect((await readImage(res.output)).raster.channels).toBe(1);
  });

  it('replicates a gray image through a colour model and returns gray', async () => {
    const colourOnly = known.filter((k) => k.entry.id !== 'test-denoise-gray');
    const res = await processFile(req('gray.png', 'out-gray3.png', [{ task: 'denoise', sigma: 10 }]), deps(colourOnly));
    expect(res.steps[0]!.model).toBe('test-denoise-color');
    expect((await readImage(res.output)).raster.channels).toBe(1);
  });

  it('runs a gray model per channel on a colour image, progress counting all passes as one step', async () => {
    const grayOnly = known.filter((k) => k.entry.id === 'test-denoise-gray');
    const progress: FileProgress[] = [];
    const res = await processFile(req('color.png', 'out-percolour.png', [{ task: 'denoise', sigma: 10 }]), deps(grayOnly, (p) => progress.push(p)));
    expect(res.steps[0]!.model).toBe('test-denoise-gray');
    const out = await readImage(res.output);
    expect(out.raster.channels).toBe(3);
    const totals = new Set(progress.map((p) => p.tilesTotal));
    expect(totals.size).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.tilesDone).toBeGreaterThan(progress[i - 1]!.tilesDone);
    expect(progress.at(-1)!.tilesDone).toBe(progress.at(-1)!.tilesTotal);
    expect(progress.at(-1)!.tilesTotal % 3).toBe(0);
  });

  it('upscales RGBA x2 with alpha resampled separately, then keeps 16-bit depth', async () => {
    const res = await processFile(req('rgba.png', 'out-up.png', [{ task: 'upscale', scale: 2 }]), deps());
    const out = await readImage(res.output);
    expect([out.raster.width, out.raster.height, out.raster.channels]).toEqual([300, 220, 4]);
    for (let p = 0; p < 300 * 220; p += 97) expect(Math.abs(out.raster.data[p * 4 + 3]! - 128)).toBeLessThanOrEqual(1);
    const r16 = await processFile(req('color16.png', 'out-up16.png', [{ task: 'upscale', scale: 2 }]), deps());
    const o16 = await readImage(r16.output);
    expect(o16.raster.depth).toBe(16);
    expect(o16.raster.data).toBeInstanceOf(Uint16Array);
  });

  it('colorizes a gray image to RGB keeping its L', async () => {
    const res = await processFile(req('gray.png', 'out-col.png', [{ task: 'colorize' }], { format: 'png' }), deps());
    const out = await readImage(res.output);
    const inp = await readImage(path.join(tmp, 'gray.png'));
    expect(inp.raster.channels).toBe(1);
    expect(out.raster.channels).toBe(3);
    const lab = [0, 0, 0];
    let maxDL = 0;
    let chroma = 0;
    let judged = 0;
    for (let p = 0; p < 120 * 90; p += 7) {
      const o = out.raster.data;
      // Pixels clipped to the sRGB gamut cannot keep their L exactly: judge the others.
      if ([0, 1, 2].some((k) => o[p * 3 + k] === 0 || o[p * 3 + k] === 255)) continue;
      judged++;
      srgbToLab(o[p * 3]! / 255, o[p * 3 + 1]! / 255, o[p * 3 + 2]! / 255, lab);
      const g = inp.raster.data[p]! / 255;
      const ref = [0, 0, 0];
      srgbToLab(g, g, g, ref);
      maxDL = Math.max(maxDL, Math.abs(lab[0]! - ref[0]!));
      chroma = Math.max(chroma, Math.hypot(lab[1]!, lab[2]!));
    }
    expect(judged).toBeGreaterThan(300);
    expect(chroma).toBeGreaterThan(2); // it did add colour
    expect(maxDL).toBeLessThan(2.5); // ... and kept the original lightness
  });

  it('with monochromeOnly colourizes a gray photo (also one stored as RGB) and passes a colour photo through unchanged', async () => {
    await sharp(path.join(tmp, 'gray.png')).toColourspace('srgb').png().toFile(path.join(tmp, 'gray-rgb.png'));
    const step = [{ task: 'colorize' as const, monochromeOnly: true }];
    const colour = await processFile(req('color.png', 'out-mono-colour.png', step, { format: 'png' }), deps());
    expect(colour.steps[0]!.settings).toEqual({ skipped: 'colour photo' });
    const [inp, out] = await Promise.all([readImage(path.join(tmp, 'color.png')), readImage(colour.output)]);
    expect(out.raster.channels).toBe(inp.raster.channels);
    expect(Buffer.from(out.raster.data).equals(Buffer.from(inp.raster.data))).toBe(true);
    // The record says what was asked and what happened.
    const record = readProcessing(out.meta.xmp!);
    expect(JSON.stringify(record)).toContain('colour photo');
    expect(JSON.stringify(record)).toContain('monochromeOnly');
    for (const gray of ['gray.png', 'gray-rgb.png']) {
      const res = await processFile(req(gray, `out-mono-${gray}`, step, { format: 'png' }), deps());
      expect(res.steps[0]!.settings.skipped).toBeUndefined();
      expect(res.steps[0]!.settings.saturation).toBe(1);
      const col = await readImage(res.output);
      expect(col.raster.channels).toBe(3);
      let chroma = 0;
      for (let p = 0; p < 120 * 90; p++) chroma = Math.max(chroma, Math.max(col.raster.data[p * 3]!, col.raster.data[p * 3 + 1]!, col.raster.data[p * 3 + 2]!) - Math.min(col.raster.data[p * 3]!, col.raster.data[p * 3 + 1]!, col.raster.data[p * 3 + 2]!));
      expect(chroma).toBeGreaterThan(3); // colour was added
    }
  });

  it('inpaints only inside the mask', async () => {
    const res = await processFile(req('color.png', 'out-inp.png', [{ task: 'inpaint', mask: path.join(tmp, 'mask.png') }]), deps());
    const out = (await readImage(res.output)).raster.data;
    const inp = (await readImage(path.join(tmp, 'color.png'))).raster.data;
    let inside = 0;
    for (let y = 0; y < 110; y++)
      for (let x = 0; x < 150; x++)
        for (let c = 0; c < 3; c++) {
          const i = (y * 150 + x) * 3 + c;
          const masked = y >= 40 && y < 70 && x >= 50 && x < 100;
          if (!masked) expect(out[i]).toBe(inp[i]);
          else if (out[i] !== inp[i]) inside++;
        }
    expect(inside).toBeGreaterThan(1000);
    expect(res.steps[0]!.settings.maskPercent).toBeCloseTo(9.1, 1);
    // the model sees the holes black (as in training): what was under the mask cannot matter
    const scratched = Buffer.from(inp);
    for (let y = 40; y < 70; y++) scratched.fill(255, (y * 150 + 50) * 3, (y * 150 + 100) * 3);
    await sharp(scratched, { raw: { width: 150, height: 110, channels: 3 } }).png().toFile(path.join(tmp, 'scratched.png'));
    const res2 = await processFile(req('scratched.png', 'out-inp2.png', [{ task: 'inpaint', mask: path.join(tmp, 'mask.png') }]), deps());
    const out2 = (await readImage(res2.output)).raster.data;
    expect(Buffer.from(out2).equals(Buffer.from(out))).toBe(true);
    // Max quality: the fill is the mean over the 8 flips/rotations, still only inside the mask.
    const res3 = await processFile(req('color.png', 'out-inp3.png', [{ task: 'inpaint', mask: path.join(tmp, 'mask.png'), tta: true }]), deps());
    expect(res3.steps[0]!.settings.tta).toBe(8);
    const out3 = (await readImage(res3.output)).raster.data;
    let differs = 0;
    for (let y = 0; y < 110; y++)
      for (let x = 0; x < 150; x++)
        for (let c = 0; c < 3; c++) {
          const i = (y * 150 + x) * 3 + c;
          if (!(y >= 40 && y < 70 && x >= 50 && x < 100)) expect(out3[i]).toBe(inp[i]);
          else if (out3[i] !== out[i]) differs++;
        }
    expect(differs).toBeGreaterThan(100);
  });

  it('fails with one line naming the file: missing model, bad input, bad mask', async () => {
    const noColorize = known.filter((k) => k.entry.task !== 'colorize');
    await expect(processFile(req('gray.png', 'x.png', [{ task: 'colorize' }]), deps(noColorize))).rejects.toThrow(
      `${path.join(tmp, 'gray.png')}: no trained model for colorize yet; see README (Models)`,
    );
    await expect(processFile(req('nope.png', 'x.png', [{ task: 'denoise', sigma: 5 }]), deps())).rejects.toThrow(
      new RegExp(`^${path.join(tmp, 'nope.png')}: `),
    );
    await expect(
      processFile(req('color.png', 'x.png', [{ task: 'inpaint', mask: path.join(tmp, 'gray.png.missing') }]), deps()),
    ).rejects.toThrow(/gray\.png\.missing/);
    await expect(processFile(req('color.png', 'x.png', [{ task: 'denoise', sigma: 99 }]), deps())).rejects.toThrow(/sigma must be between 0 and 75/);
  });

  it('refuses before any step an enlargement its output format cannot hold (WebP: 16383 pixels a side)', async () => {
    await sharp({ create: { width: 8200, height: 8, channels: 3, background: '#808080' } }).webp().toFile(path.join(tmp, 'wide.webp'));
    let tiles = 0;
    await expect(processFile(req('wide.webp', 'wide-x2.webp', [{ task: 'upscale', scale: 2 }]), deps(known, () => tiles++))).rejects.toThrow(
      `${path.join(tmp, 'wide.webp')}: ${path.join(tmp, 'wide-x2.webp')}: cannot hold the result: 16400 x 16 pixels is over WebP's limit of 16383 pixels a side: choose PNG or TIFF`,
    );
    expect(tiles).toBe(0);
    const png = await processFile(req('wide.webp', 'wide-x2.png', [{ task: 'upscale', scale: 2 }], { format: 'png' }), deps());
    expect([png.width, png.height]).toEqual([16400, 16]);
  });
});
