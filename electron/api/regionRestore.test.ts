// The restore call's `region` (the app's 1:1 preview of the visible area) through the real API
// service and the real engine process (dist/engine-worker.js, ONNX Runtime, the seeded test models
// of engine/test/models.ts): the region's result equals the same window of a whole-photo restore
// (8-bit rounding apart) for denoise with the strength estimated, a strided U-Net (also with Max
// quality's flipped passes), an upscale x2 chain, a painted mask and the detector's mask, and on a
// JPEG with EXIF orientation; a region partly off the photo is clipped; empty and off-photo
// regions, colorize and preview + region are refused with a clear reason.
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testColorizer, testDenoiser, testInpainter, testUnet, testUpsampler, writeModelDir, type ModelDir } from '../engine/test/models';
import { FolderAccess } from './access';
import type { Outcome, RestoreResult } from './contract';
import type { ApiService } from './service';
import { lineDetector } from './test/lineDetector';
import { testService } from './test/service';

const SOURCE = '/work/shared/data/eval/McMaster/1.png'; // as the other tests, wherever the checkout is
const W = 300;
const H = 220;

let dir: string;
let photo: string;
let rotated: string;
let mask: string;
let models: ModelDir;
let service: ApiService;

async function restore(args: Record<string, unknown>): Promise<Outcome<RestoreResult>> {
  return (await service.call('restore', { jobId: `j-${Math.random().toString(36).slice(2, 10)}`, ...args })) as Outcome<RestoreResult>;
}
async function value(args: Record<string, unknown>): Promise<RestoreResult> {
  const o = await restore(args);
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.value;
}
async function pixels(file: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Largest channel difference between `part` and the window of `whole` at (x, y), `inset` pixels in from the part's border. */
async function maxDiff(whole: string, part: string, x: number, y: number, inset = 0): Promise<number> {
  const a = await pixels(whole);
  const b = await pixels(part);
  let worst = 0;
  for (let j = inset; j < b.height - inset; j++) {
    for (let i = inset; i < b.width - inset; i++) {
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(a.data[((y + j) * a.width + x + i) * 3 + c]! - b.data[(j * b.width + i) * 3 + c]!));
    }
  }
  return worst;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'region-restore-'));
  await fs.mkdir(path.join(dir, 'photos'));
  photo = path.join(dir, 'photos', 'photo.png');
  const base = existsSync(SOURCE) ? sharp(SOURCE).resize(W, H, { fit: 'cover' }) : sharp({ create: { width: W, height: H, channels: 3, background: '#806040' } });
  // Noise, so the strength estimate and the denoiser have something to do; two scratches for the detector.
  const clean = await base.removeAlpha().raw().toBuffer();
  let s = 7;
  const noisy = clean.map((v) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.min(255, Math.max(0, v + ((s >>> 24) - 128) / 6));
  });
  const scratches = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><g stroke="#f4f4f4" stroke-width="2"><line x1="20" y1="30" x2="280" y2="70" /><line x1="90" y1="210" x2="150" y2="10" /></g></svg>`);
  await sharp(noisy, { raw: { width: W, height: H, channels: 3 } }).composite([{ input: scratches }]).png().toFile(photo);
  // Stored sideways with EXIF orientation 6: upright it is W x H again.
  rotated = path.join(dir, 'photos', 'rotated.jpg');
  await sharp(photo).rotate(-90).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toFile(rotated);
  mask = path.join(dir, 'photos', 'mask.png');
  await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="#000"/><circle cx="120" cy="100" r="14" fill="#fff"/><rect x="150" y="60" width="60" height="8" fill="#fff"/></svg>`)).png().toFile(mask);
  models = await writeModelDir([testDenoiser(3, 6), testUnet(), testUpsampler(2), testInpainter(), lineDetector(), testColorizer()]);
  const access = new FolderAccess();
  const workspace = path.join(dir, 'ws');
  await fs.mkdir(workspace);
  await access.allow(path.join(dir, 'photos'));
  await access.allow(workspace);
  service = testService({ access, workspace, settingsFile: path.join(dir, 'settings.json'), modelDir: models.dir }, { dataDir: path.join(dir, 'kept') });
}, 120_000);
afterAll(async () => {
  await service?.close();
  await models?.cleanup();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

const REGION = { x: 77, y: 45, width: 110, height: 90 };

describe('restore with a region', () => {
  it('equals the same window of the whole-photo restore: denoise with the strength estimated from the whole photo', async () => {
    const steps = [{ task: 'denoise', sigma: 'auto' }];
    const whole = await value({ input: photo, steps });
    const part = await value({ input: photo, steps, region: REGION });
    expect(part).toMatchObject({ preview: true, region: REGION, image: { width: REGION.width, height: REGION.height } });
    expect(part.steps[0]!.settings.sigma).toBe(whole.steps[0]!.settings.sigma);
    expect(await maxDiff(whole.image.path, part.image.path, REGION.x, REGION.y)).toBeLessThanOrEqual(1);
  }, 120_000);

  it('a strided U-Net and an upscale x2 chain: the region is scaled and still equals the window', async () => {
    const steps = [{ task: 'denoise', sigma: 20, model: 'test-unet' }, { task: 'upscale', scale: 2 }];
    const whole = await value({ input: photo, steps });
    const part = await value({ input: photo, steps, region: REGION });
    expect(part).toMatchObject({ region: REGION, image: { width: 2 * REGION.width, height: 2 * REGION.height } });
    expect(await maxDiff(whole.image.path, part.image.path, 2 * REGION.x, 2 * REGION.y)).toBeLessThanOrEqual(1);
  }, 120_000);

  it('Max quality (8 flipped and rotated passes) of the strided U-Net: still the window', async () => {
    const steps = [{ task: 'denoise', sigma: 20, model: 'test-unet', tta: true }];
    const whole = await value({ input: photo, steps });
    const part = await value({ input: photo, steps, region: REGION });
    expect(await maxDiff(whole.image.path, part.image.path, REGION.x, REGION.y)).toBeLessThanOrEqual(1);
  }, 120_000);

  it('inpaint: a painted mask is cropped with the photo, the detector mask is found in the window; equal to the window', async () => {
    for (const m of [mask, 'auto']) {
      const steps = [{ task: 'inpaint', mask: m }, { task: 'denoise', sigma: 10 }];
      const whole = await value({ input: photo, steps });
      const part = await value({ input: photo, steps, region: REGION });
      expect(Number(part.steps[0]!.settings.maskPercent)).toBeGreaterThan(0);
      expect(await maxDiff(whole.image.path, part.image.path, REGION.x, REGION.y)).toBeLessThanOrEqual(1);
    }
  }, 180_000);

  it('takes the region in upright pixels of a photo with EXIF orientation, and clips a region partly off the photo', async () => {
    const steps = [{ task: 'denoise', sigma: 15 }];
    const whole = await value({ input: rotated, steps });
    expect([whole.image.width, whole.image.height]).toEqual([W, H]);
    const part = await value({ input: rotated, steps, region: REGION });
    expect(await maxDiff(whole.image.path, part.image.path, REGION.x, REGION.y)).toBeLessThanOrEqual(1);
    const corner = await value({ input: rotated, steps, region: { x: W - 40, y: -30, width: 100, height: 80 } });
    expect(corner).toMatchObject({ region: { x: W - 40, y: 0, width: 40, height: 50 }, image: { width: 40, height: 50 } });
    expect(await maxDiff(whole.image.path, corner.image.path, W - 40, 0)).toBeLessThanOrEqual(1);
  }, 120_000);

  it('refuses empty and off-photo regions, colorize, and preview with region, saying why', async () => {
    const steps = [{ task: 'denoise', sigma: 15 }];
    expect(await restore({ input: photo, steps, region: { x: 10, y: 10, width: 0, height: 40 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: expect.stringContaining('region is empty') },
    });
    expect(await restore({ input: photo, steps, region: { x: W, y: 10, width: 50, height: 40 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: `${photo}: region 50x40 at ${W},10 lies outside the photo (${W}x${H})` },
    });
    expect(await restore({ input: photo, steps, region: { x: -80, y: -80, width: 50, height: 50 } })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await restore({ input: photo, steps, region: { x: 1.5, y: 0, width: 50, height: 50 } })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await restore({ input: photo, steps: [{ task: 'colorize' }], region: REGION })).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: expect.stringContaining('the colour comes from the whole photo') },
    });
    expect(await restore({ input: photo, steps, region: REGION, preview: { maxSide: 128 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: expect.stringContaining('preview and region cannot be combined') },
    });
  }, 60_000);
});
