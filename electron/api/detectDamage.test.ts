// The detectDamage call and the inpaint step's 'auto' mask through the real API service and the
// real engine process (dist/engine-worker.js, ONNX Runtime): a McMaster photo with two bright
// 2-pixel scratches drawn on it, the hand-made line detector (test/lineDetector.ts) and the seeded
// test inpainter. The mask comes back as an 8-bit PNG of the photo's size (saved in the workspace
// and as base64) covering the scratches, with the marked share, progress events and cancel by job
// id; argument and folder checks as for every call; a clear 'unavailable' without a detector.
// A detector whose manifest gives thresholdLow follows a fading scratch from its sure marks; one
// with rotationEnsemble runs as the mean of its four rotations.
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../engine/client';
import { testInpainter, writeModelDir, type ModelDir } from '../engine/test/models';
import { FolderAccess } from './access';
import type { ApiEvent, DamageMaskResult, Outcome, RestoreResult } from './contract';
import { createApiService, type ApiService } from './service';
import { SettingsStore } from './settingsStore';
import { lineDetector } from './test/lineDetector';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const workerPath = path.join(root, 'dist', 'engine-worker.js');
const SOURCE = '/work/shared/data/eval/McMaster/1.png'; // as the other tests, wherever the checkout is
const W = 256;
const H = 192;
/** Two scratches (2 px wide) in photo pixels. */
const SCRATCHES = '<line x1="20" y1="30" x2="230" y2="60" /><line x1="60" y1="180" x2="120" y2="10" />';

let dir: string;
let models: ModelDir;
let bare: ModelDir;
let service: ApiService;
let noDetector: ApiService;
let photo: string;
/** 1 where a scratch was drawn (alpha > 50%). */
let scratch: Uint8Array;
const events: ApiEvent[] = [];

async function call<T>(s: ApiService, name: string, args: unknown): Promise<Outcome<T>> {
  return (await s.call(name, args)) as Outcome<T>;
}
function value<T>(o: Outcome<T>): T {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.value;
}
async function gray(file: string | Buffer): Promise<Uint8Array> {
  return new Uint8Array(await sharp(file).extractChannel(0).raw().toBuffer());
}
/** 1 where the SVG draws (alpha > 50%). */
async function drawn(svg: Buffer): Promise<Uint8Array> {
  return (await gray(await sharp(svg).ensureAlpha().extractChannel(3).png().toBuffer())).map((a) => (a > 127 ? 1 : 0));
}
/** Share of the line's pixels (columns from..to) that the mask marks. */
function coverage(mask: Uint8Array, line: Uint8Array, from = 0, to = W): number {
  let n = 0, hit = 0;
  for (let i = 0; i < line.length; i++) {
    if (!line[i] || i % W < from || i % W >= to) continue;
    n++;
    if (mask[i]) hit++;
  }
  return hit / n;
}
function makeService(modelDir: string, workspace: string, access: FolderAccess): ApiService {
  return createApiService({
    shell: 'web',
    version: '0.0.0-test',
    access,
    workspace,
    settings: new SettingsStore(path.join(dir, 'settings.json')),
    modelFolders: [{ dir: modelDir, source: 'user' }],
    startEngine: (options) => EngineClient.start({ ...options, threads: 1, workerPath }),
    mediaUrl: (file, v) => `media?path=${encodeURIComponent(file)}&v=${v}`,
  });
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'detect-damage-api-'));
  await fs.mkdir(path.join(dir, 'photos'));
  photo = path.join(dir, 'photos', 'scratched.png');
  const svg = (colour: string) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><g stroke="${colour}" stroke-width="2">${SCRATCHES}</g></svg>`);
  const base = existsSync(SOURCE) ? sharp(SOURCE).resize(W, H, { fit: 'cover' }) : sharp({ create: { width: W, height: H, channels: 3, background: '#606060' } });
  await sharp(await base.png().toBuffer()).composite([{ input: svg('#f4f4f4') }]).removeAlpha().png().toFile(photo);
  scratch = await drawn(svg('#ffffff'));
  models = await writeModelDir([lineDetector(), testInpainter()]);
  bare = await writeModelDir([testInpainter()]);
  const access = new FolderAccess();
  const workspace = path.join(dir, 'ws');
  await fs.mkdir(workspace);
  await access.allow(path.join(dir, 'photos'));
  await access.allow(workspace);
  service = makeService(models.dir, workspace, access);
  service.on((e) => events.push(e));
  noDetector = makeService(bare.dir, workspace, access);
}, 60_000);
afterAll(async () => {
  await service?.close();
  await noDetector?.close();
  await models?.cleanup();
  await bare?.cleanup();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('detectDamage', () => {
  it('returns the detector mask of the photo: PNG in the workspace and base64, covering the scratches, with the marked share', async () => {
    const found = value(await call<DamageMaskResult>(service, 'detectDamage', { jobId: 'find-1', path: photo }));
    expect(found).toMatchObject({ jobId: 'find-1', width: W, height: H, model: 'test-line-detector', threshold: 0.5, provider: 'cpu' });
    expect(path.dirname(found.mask)).toBe(path.join(dir, 'ws', 'masks'));
    const meta = await sharp(found.mask).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels, meta.depth]).toEqual(['png', W, H, 1, 'uchar']);
    expect(Buffer.from(found.pngBase64, 'base64').equals(await fs.readFile(found.mask))).toBe(true);
    const mask = await gray(found.mask);
    expect(new Set(mask)).toEqual(new Set([0, 255]));
    let marked = 0;
    let covered = 0;
    let lines = 0;
    for (let i = 0; i < mask.length; i++) {
      if (mask[i]) marked++;
      if (scratch[i]) {
        lines++;
        if (mask[i]) covered++;
      }
    }
    expect(found.markedPercent).toBeCloseTo((100 * marked) / mask.length, 1);
    // The hand-made detector misses a scratch where it crosses the brightest parts of the photo.
    expect(covered / lines).toBeGreaterThan(0.7);
    expect(found.markedPercent).toBeLessThan(25);
    expect(events.some((e) => e.type === 'restore-progress' && e.jobId === 'find-1')).toBe(true);
  }, 60_000);

  it('fills exactly the detected damage with an inpaint step whose mask is "auto"', async () => {
    const restored = value(await call<RestoreResult>(service, 'restore', { jobId: 'auto-1', input: photo, steps: [{ task: 'inpaint', mask: 'auto' }] }));
    expect(restored.steps[0]).toMatchObject({ task: 'inpaint', model: 'test-inpaint', settings: { mask: 'auto', detector: 'test-line-detector' } });
    const found = value(await call<DamageMaskResult>(service, 'detectDamage', { jobId: 'find-2', path: photo }));
    const mask = await gray(found.mask);
    const [before, after] = await Promise.all([photo, restored.image.path].map((f) => sharp(f).removeAlpha().raw().toBuffer()));
    let changedInside = 0;
    for (let p = 0; p < W * H; p++) {
      const differs = [0, 1, 2].some((c) => before![p * 3 + c] !== after![p * 3 + c]);
      if (!mask[p]) expect(differs).toBe(false);
      else if (differs) changedInside++;
    }
    expect(changedInside).toBeGreaterThan(0.5 * mask.filter(Boolean).length);
  }, 60_000);

  it('checks arguments and folders as every call does, and cancels by job id', async () => {
    const outside = await call(service, 'detectDamage', { jobId: 'x', path: path.join(os.tmpdir(), 'elsewhere.png') });
    expect(outside).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call(service, 'detectDamage', { jobId: 'x', path: photo, threshold: 2 })).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/^detectDamage: threshold: /) } });
    expect(await call(service, 'detectDamage', { jobId: '../x', path: photo })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    // A mask file outside the allowed folders is still refused; 'auto' is no file.
    const foreign = await call(service, 'restore', { jobId: 'm', input: photo, steps: [{ task: 'inpaint', mask: path.join(os.tmpdir(), 'mask.png') }] });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const running = call(service, 'detectDamage', { jobId: 'find-cancel', path: photo });
    await expect.poll(async () => value(await call<{ cancelled: boolean }>(service, 'cancel', { jobId: 'find-cancel' })).cancelled, { interval: 5, timeout: 30_000 }).toBe(true);
    const outcome = await running;
    // Either cancelled in flight, or it had already finished when the cancel arrived.
    if (!outcome.ok) expect(outcome.error).toMatchObject({ code: 'cancelled', message: `${photo}: cancelled` });
  }, 60_000);

  it("follows a fading scratch down to the manifest's thresholdLow, and leaves a faint line that touches no sure mark", async () => {
    // A scratch fading from strong (contrast 0.58: the line detector scores ~1) to faint (0.33:
    // ~0.7), and a faint line alone. At 0.99 only the strong end is sure; with thresholdLow 0.5 the
    // marks follow the scratch to its faint end, and the lone faint line stays unmarked.
    const faded = path.join(dir, 'photos', 'faded.png');
    const stroke = (body: string) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs><linearGradient id="f" gradientUnits="userSpaceOnUse" x1="20" y1="40" x2="236" y2="40"><stop offset="0" stop-color="#f4f4f4"/><stop offset="1" stop-color="#b4b4b4"/></linearGradient></defs>${body}</svg>`);
    const lines = { fading: '<line x1="20" y1="40" x2="236" y2="40" stroke="url(#f)" stroke-width="2"/>', faint: '<line x1="20" y1="140" x2="236" y2="140" stroke="#b4b4b4" stroke-width="2"/>' };
    await sharp({ create: { width: W, height: H, channels: 3, background: '#606060' } }).composite([{ input: stroke(lines.fading + lines.faint) }]).removeAlpha().png().toFile(faded);
    const where = (body: string) => drawn(stroke(body.replace(/stroke="[^"]*"/, 'stroke="#ffffff"')));
    const [fading, faint] = [await where(lines.fading), await where(lines.faint)];
    const follows = lineDetector();
    follows.entry = { ...follows.entry, threshold: 0.99, thresholdLow: 0.5 };
    const dirs = await writeModelDir([follows]);
    const withLow = makeService(dirs.dir, path.join(dir, 'ws'), new FolderAccess([dir]));
    try {
      const followed = value(await call<DamageMaskResult>(withLow, 'detectDamage', { jobId: 'low-1', path: faded }));
      expect(followed.threshold).toBe(0.99);
      const plain = value(await call<DamageMaskResult>(service, 'detectDamage', { jobId: 'low-2', path: faded, threshold: 0.99 }));
      const [mFollowed, mPlain] = [await gray(followed.mask), await gray(plain.mask)];
      // The faint end (the last quarter) only by following; the sure end by both.
      expect(coverage(mPlain, fading, 20, 70)).toBeGreaterThan(0.9);
      expect(coverage(mPlain, fading, 180, 230)).toBeLessThan(0.1);
      expect(coverage(mFollowed, fading, 20, 230)).toBeGreaterThan(0.95);
      expect(coverage(mFollowed, faint)).toBe(0);
      // With the model's own 0.5 the lone faint line is marked too: it is the connection that decides.
      const low = value(await call<DamageMaskResult>(service, 'detectDamage', { jobId: 'low-3', path: faded }));
      expect(coverage(await gray(low.mask), faint, 20, 230)).toBeGreaterThan(0.9);
    } finally {
      await withLow.close();
      await dirs.cleanup();
    }
  }, 60_000);

  it('runs a detector whose manifest asks for it as the mean of its four rotations', async () => {
    // A detector that sees only vertical lines, on a photo with one horizontal scratch: one run
    // leaves it; turned by 90 and 270 degrees it is vertical, so the mean of the four turns scores
    // it about 0.5, above the entry's 0.4.
    const across = path.join(dir, 'photos', 'across.png');
    const svg = (colour: string) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><line x1="20" y1="96" x2="236" y2="96" stroke="${colour}" stroke-width="2"/></svg>`);
    await sharp({ create: { width: W, height: H, channels: 3, background: '#606060' } }).composite([{ input: svg('#f4f4f4') }]).removeAlpha().png().toFile(across);
    const line = await drawn(svg('#ffffff'));
    const covered = async (rotationEnsemble: boolean): Promise<number> => {
      const vertical = lineDetector({ rowsOnly: true });
      vertical.entry = { ...vertical.entry, threshold: 0.4, grow: 0, rotationEnsemble };
      const models = await writeModelDir([vertical]);
      const s = makeService(models.dir, path.join(dir, 'ws'), new FolderAccess([dir]));
      try {
        const mask = await gray(value(await call<DamageMaskResult>(s, 'detectDamage', { jobId: `rot-${rotationEnsemble}`, path: across })).mask);
        return coverage(mask, line, 30, 226);
      } finally {
        await s.close();
        await models.cleanup();
      }
    };
    expect(await covered(false)).toBe(0);
    expect(await covered(true)).toBeGreaterThan(0.9);
  }, 60_000);

  it('says plainly that no detector is installed', async () => {
    expect(await call(noDetector, 'detectDamage', { jobId: 'none', path: photo })).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'No damage detector model is installed: paint over the damage with the mask brush instead.' },
    });
  });
});
