// Fine-tuning as the app and `restore train --base` run it: the fine-tuning defaults, the
// self-supervised --noisy mode on a real noisy collection (correlated grain + JPEG made by
// training/recipes/noisy_collection.mjs from Train400 photos), its events (split, prepare,
// validation with the base's line, preview pictures, per-photo result), the blind manifest entry
// it writes, pause (checkpoint, nothing exported) and resume, and its usage errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { restore, ROOT, type Event } from '../test/cli/helpers';
import { SIGMAS } from './eval/pairs';
import { CHECK_CROPS } from './data/loader';
import { train, type TrainEvent } from './trainer';
import { MIN_GAIN_DB } from './verdict';
import { blindBaseOptions, fineTuneOptions } from './fineTune';
import { loadManifest } from '../models/registry';

const TRAIN400 = '/work/shared/data/train/gray/Train400';
const T91 = '/work/shared/data/train/color/T91';
let dir: string;
let clean: string;
let noisy: string;
let baseDir: string;

const tiny = ['--batch', '4', '--patch', '32', '--threads', '1', '--provider', 'cpu', '--json'];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-finetune-'));
  clean = path.join(dir, 'clean');
  noisy = path.join(dir, 'noisy');
  await fs.mkdir(clean);
  for (const f of (await fs.readdir(TRAIN400)).sort().slice(0, 14)) await fs.copyFile(path.join(TRAIN400, f), path.join(clean, f));
  execFileSync(process.execPath, [path.join(ROOT, 'training', 'recipes', 'noisy_collection.mjs'), '--out', noisy, '--sd', '15', clean], { stdio: 'pipe' });
  // A small gray base denoiser with a noise-level input, trained for a few steps.
  baseDir = path.join(dir, 'base');
  const r = await restore(['train', '--task', 'denoise', '--data', clean, '--out', path.join(baseDir, 'tiny-base.onnx'), '--arch', 'unet', '--widths', '8,16',
    '--channels', '1', '--steps', '16', '--val-every', '16', '--lr', '0.003', ...tiny]);
  if (r.code !== 0) throw new Error(r.stderr);
}, 180_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const of = <T extends string>(events: Event[], type: T): Event[] => events.filter((e) => e.type === type);

describe('fine-tuning', () => {
  it('--noisy learns from noisy photos alone: split, prepare, base line, previews, per-photo result, blind model', async () => {
    const out = path.join(dir, 'self', 'self.onnx');
    const preview = path.join(dir, 'self', 'preview');
    const r = await restore(['train', '--task', 'denoise', '--base', 'tiny-base', '--models-dir', baseDir, '--data', noisy, '--noisy', '--out', out,
      '--steps', '6', '--val-every', '3', '--preview', preview, ...tiny]);
    expect(r.code, r.stderr).toBe(0);
    const split = of(r.events, 'split')[0]!;
    expect((split.heldOut as string[]).length).toBeGreaterThanOrEqual(2);
    expect((split.train as string[]).length + (split.heldOut as string[]).length).toBe(14);
    const prepare = of(r.events, 'prepare');
    expect(prepare[prepare.length - 1]).toMatchObject({ done: prepare[prepare.length - 1]!.total });
    const vals = of(r.events, 'validation');
    expect(vals[0]).toMatchObject({ step: 0 });
    expect(vals[0]!.basePsnr).toBe(vals[0]!.psnr);
    expect(vals.slice(1).every((v) => v.basePsnr === vals[0]!.basePsnr)).toBe(true);
    // A preview at the start and after each validation: input | base | model, one PNG each.
    const previews = of(r.events, 'preview');
    expect(previews.map((p) => p.step)).toEqual([0, 3, 6]);
    const meta = await sharp(previews[0]!.path as string).metadata();
    expect(meta.width).toBeGreaterThan(2 * (meta.height ?? 0));
    expect((split.heldOut as string[])).toContain(previews[0]!.image);
    const result = of(r.events, 'result')[0]!;
    expect(result.reference).toBe('self');
    expect(SIGMAS).toContain(result.noiseLevel);
    const photos = result.photos as { file: string; basePsnr: number; psnr: number; picture?: string }[];
    expect(photos.map((p) => p.file)).toEqual(split.heldOut);
    for (const p of photos) {
      expect(Number.isFinite(p.basePsnr) && Number.isFinite(p.psnr)).toBe(true);
      await fs.access(p.picture!);
    }
    const mean = photos.reduce((a, p) => a + p.psnr, 0) / photos.length;
    expect(Math.abs(mean - (result.psnr as number))).toBeLessThan(1e-3);
    const done = of(r.events, 'done')[0]!;
    if (done.adopted) {
      const m = { models: await loadManifest(path.join(dir, 'self')) };
      expect(m.models[0]?.noiseLevel).toBe(result.noiseLevel);
      expect(m.models[0]?.sigmaRange).toBeUndefined();
      expect(m.models[0]?.training?.base).toBe('tiny-base');
    } else {
      expect(done.reason).toContain('no better than the base');
      await expect(fs.access(out)).rejects.toThrow();
    }
  }, 180_000);

  it('uses fine-tuning defaults with --base (small learning rate, short warm-up, frequent validation)', async () => {
    const r = await restore(['train', '--task', 'denoise', '--base', 'tiny-base', '--models-dir', baseDir, '--data', clean, '--out', path.join(dir, 'd', 'd.onnx'),
      '--steps', '3', '--val-every', '3', ...tiny]);
    expect(r.code, r.stderr).toBe(0);
    const lr = of(r.events, 'step').map((e) => e.lr as number);
    expect(lr[0]).toBeCloseTo(1e-4 / 20, 12);
    expect(lr[2]).toBeCloseTo(3e-4 / 20, 12);
    const [result, done] = [of(r.events, 'result')[0]!, of(r.events, 'done')[0]!];
    expect(result).toMatchObject({ reference: 'clean', measure: 'crops', crops: CHECK_CROPS });
    // the verdict is taken on fresh crops of the held-out photos, not on the validation crops that chose the weights
    expect(result.psnr).not.toBe(done.bestPsnr);
    if (done.adopted) expect((result.psnr as number) - (result.basePsnr as number)).toBeGreaterThanOrEqual(MIN_GAIN_DB);
    else expect(done.reason).toContain('no better than the base');
  }, 120_000);

  it('a colourizer fine-tune draws its colour points per frame of the base\'s working size, on 256-px patches', async () => {
    const { resolveModel } = await import('../models/registry');
    const base = await resolveModel('colorize', 'colorize', [path.join(ROOT, 'models')]);
    const opts = await fineTuneOptions({ task: 'colorize', base: { entry: base.entry, path: base.path }, folders: [clean], out: path.join(dir, 'c.onnx'), checkpoint: path.join(dir, 'c.ckpt') });
    expect(base.entry.workingSize).toBeGreaterThan(0);
    expect(opts.hintFrame).toBe(base.entry.workingSize);
    // the base's last stage: 256-px patches, 4 a step (whole portraits; as many pixels as 16 x 128²)
    expect([opts.patch, opts.batch]).toEqual([256, 4]);
    const denoiser = await resolveModel('tiny-base', 'denoise', [baseDir]);
    const d = await fineTuneOptions({ task: 'denoise', base: { entry: denoiser.entry, path: denoiser.path }, folders: [clean], out: path.join(dir, 'd.onnx'), checkpoint: path.join(dir, 'd.ckpt') });
    expect(d.hintFrame).toBeUndefined();
  });

  it('a colourizer fine-tune is scored on its held-out photos colourized whole, on the card as for adoption', async () => {
    // Small colour photos (T91, at most 80 px) and a tiny colourizer base trained for a few steps.
    const photos = path.join(dir, 'colour');
    await fs.mkdir(photos);
    for (const f of (await fs.readdir(T91)).sort().slice(0, 12)) {
      await sharp(path.join(T91, f)).resize(80, 80, { fit: 'inside' }).png().toFile(path.join(photos, `${path.parse(f).name}.png`));
    }
    // Black-and-white and toned photos among them are left out: a colourizer learns from colour photos.
    const grayNames = (await fs.readdir(TRAIN400)).sort().slice(0, 3);
    for (const f of grayNames) await sharp(path.join(TRAIN400, f)).resize(80, 80, { fit: 'inside' }).png().toFile(path.join(photos, `gray-${path.parse(f).name}.png`));
    const firstColour = (await fs.readdir(T91)).sort()[0]!;
    await sharp(path.join(T91, firstColour)).resize(80, 80, { fit: 'inside' }).tint({ r: 112, g: 66, b: 20 }).png().toFile(path.join(photos, 'sepia.png'));
    const leftOut = [...grayNames.map((f) => `gray-${path.parse(f).name}.png`), 'sepia.png'].map((n) => path.join(photos, n)).sort();
    const cbase = path.join(dir, 'cbase');
    const t = await restore(['train', '--task', 'colorize', '--data', photos, '--out', path.join(cbase, 'tiny-colorize.onnx'), '--widths', '8,16',
      '--steps', '6', '--val-every', '6', '--lr', '0.003', ...tiny]);
    expect(t.code, t.stderr).toBe(0);
    const out = path.join(dir, 'cft', 'cft.onnx');
    const r = await restore(['train', '--task', 'colorize', '--base', 'tiny-colorize', '--models-dir', cbase, '--data', photos, '--out', out,
      '--steps', '6', '--val-every', '3', '--preview', path.join(dir, 'cft', 'preview'), ...tiny]);
    expect(r.code, r.stderr).toBe(0);
    const heldOut = of(r.events, 'split')[0]!.heldOut as string[];
    const split = of(r.events, 'split')[0]!;
    expect([...(split.train as string[]), ...heldOut].sort()).toEqual((await fs.readdir(photos)).filter((n) => !n.startsWith('gray-') && n !== 'sepia.png').map((n) => path.join(photos, n)).sort());
    expect([...(split.skipped as string[])].sort()).toEqual(leftOut.map((f) => `${f}: black-and-white or toned (a colourizer learns from colour photos)`));
    const result = of(r.events, 'result')[0]!;
    expect(result.measure).toBe('whole');
    const scored = result.photos as { file: string; basePsnr: number; psnr: number; picture?: string }[];
    expect(scored.map((p) => p.file)).toEqual(heldOut);
    // its pictures are the whole photos as scored: gray | base | fine-tuned | the photo
    const photo = await sharp(heldOut[0]!).metadata();
    const picture = await sharp(scored[0]!.picture!).metadata();
    expect([picture.width, picture.height]).toEqual([4 * photo.width! + 3 * 4, photo.height]);
    const last = await sharp(scored[0]!.picture!).extract({ left: 3 * (photo.width! + 4), top: 0, width: photo.width!, height: photo.height! }).raw().toBuffer();
    const own = await sharp(heldOut[0]!).removeAlpha().raw().toBuffer();
    expect(last.equals(own)).toBe(true);
    // the base's numbers are restore eval's on each whole photo (automatic and 10 points), not the crops'
    const { resolveModel } = await import('../models/registry');
    const { ModelRunner } = await import('./eval/runner');
    const { wholePhotoScores } = await import('./eval/colorize');
    const found = await resolveModel('tiny-colorize', 'colorize', [cbase]);
    const runner = await ModelRunner.open(found.entry, found.path, { threads: 1 });
    const expected = await wholePhotoScores(runner, heldOut, [0, 10], 512);
    await runner.release();
    scored.forEach((p, i) => expect(p.basePsnr).toBeCloseTo(expected[i]!, 4));
    const mean = scored.reduce((a, p) => a + p.psnr, 0) / scored.length;
    expect(result.psnr as number).toBeCloseTo(mean, 6);
    const done = of(r.events, 'done')[0]!;
    const gain = (result.psnr as number) - (result.basePsnr as number);
    if (done.adopted) expect(gain).toBeGreaterThanOrEqual(MIN_GAIN_DB);
    else await expect(fs.access(out)).rejects.toThrow();
  }, 180_000);

  it('refuses to train a colourizer on black-and-white photos, saying why', async () => {
    const gray = path.join(dir, 'gray-only');
    await fs.mkdir(gray);
    for (const f of (await fs.readdir(TRAIN400)).sort().slice(0, 5)) await sharp(path.join(TRAIN400, f)).resize(80, 80, { fit: 'inside' }).png().toFile(path.join(gray, f));
    const r = await restore(['train', '--task', 'colorize', '--data', gray, '--out', path.join(dir, 'gray-only.onnx'), '--widths', '8,16', '--steps', '2', ...tiny]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${gray}: 5 of the 5 photos are black-and-white or toned (a colourizer learns from colour photos); 0 colour photos are too few to learn from and check on`);
    await expect(fs.access(path.join(dir, 'gray-only.onnx'))).rejects.toThrow();
  });

  it('pauses at a checkpoint without exporting, and resumes from it', async () => {
    const { resolveModel } = await import('../models/registry');
    const found = await resolveModel('tiny-base', 'denoise', [baseDir]);
    const out = path.join(dir, 'pause', 'p.onnx');
    const checkpoint = path.join(dir, 'pause', 'p.ckpt');
    const opts = await fineTuneOptions({
      task: 'denoise', base: { entry: found.entry, path: found.path }, folders: [clean], out, checkpoint, threads: 1,
      overrides: { steps: 12, valEvery: 4, checkpointEvery: 100, batch: 4, patch: 32, patience: 0 },
    });
    const pause = new AbortController();
    const events: TrainEvent[] = [];
    const first = await train({ ...opts, pause: pause.signal, onEvent: (e) => { events.push(e); if (e.type === 'step' && e.step === 5) pause.abort(); } });
    expect(first.paused).toBe(true);
    expect(first.steps).toBe(5);
    expect(events.find((e) => e.type === 'paused')).toMatchObject({ step: 5, checkpoint });
    expect(events.some((e) => e.type === 'done')).toBe(false);
    await expect(fs.access(out)).rejects.toThrow();
    const again: TrainEvent[] = [];
    const second = await train({ ...opts, resume: checkpoint, onEvent: (e) => again.push(e) });
    expect(second.paused).toBeUndefined();
    const steps = again.filter((e) => e.type === 'step').map((e) => (e as { step: number }).step);
    expect(steps[0]).toBe(6);
    expect(steps[steps.length - 1]).toBe(12);
    expect(again.some((e) => e.type === 'done')).toBe(true);
  }, 120_000);

  it('an old-print base goes on learning old-print pairs at its one noise level, from clean photos or noisy ones', async () => {
    // A tiny old-print model from scratch, at a level none of the manual strengths has.
    const opDir = path.join(dir, 'old-print');
    const made = await restore(['train', '--task', 'denoise', '--data', clean, '--out', path.join(opDir, 'tiny-old.onnx'), '--arch', 'unet', '--widths', '8,16',
      '--channels', '1', '--old-print', '--sigma', '12', '--steps', '4', '--val-every', '4', ...tiny]);
    expect(made.code, made.stderr).toBe(0);
    const [entry] = await loadManifest(opDir);
    expect(entry).toMatchObject({ id: 'tiny-old', noiseLevel: 12, degradations: ['old-print'] });
    expect(entry!.sigmaRange).toBeUndefined();
    expect(SIGMAS).not.toContain(12);
    // Clean photos: old-print pairs at 12 (the run as an accelerator job records its data), not white noise of 0-75.
    const job = path.join(dir, 'old-print-job');
    const clean1 = await restore(['train', '--task', 'denoise', '--base', 'tiny-old', '--models-dir', opDir, '--data', clean, '--out', path.join(dir, 'op-clean', 'ft.onnx'),
      '--steps', '4', '--export-job', job, ...tiny]);
    expect(clean1.code, clean1.stderr).toBe(0);
    expect(JSON.parse(await fs.readFile(path.join(job, 'job.json'), 'utf8'))).toMatchObject({ task: 'denoise', oldPrint: true, sigma: 12 });
    // Noisy photos: their own grain on the base's pseudo-clean photos, at 12 throughout (no search over strengths it was never given).
    const self = await restore(['train', '--task', 'denoise', '--base', 'tiny-old', '--models-dir', opDir, '--data', noisy, '--noisy', '--out', path.join(dir, 'op-noisy', 'ft.onnx'),
      '--steps', '3', '--val-every', '3', ...tiny]);
    expect(self.code, self.stderr).toBe(0);
    expect(of(self.events, 'result')[0]!.noiseLevel).toBe(12);
    // ... as the grain of old-print pairs (blur, screens) made from the pseudo-clean photos, not added to them alone.
    const noisyJob = path.join(dir, 'old-print-noisy-job');
    const selfJob = await restore(['train', '--task', 'denoise', '--base', 'tiny-old', '--models-dir', opDir, '--data', noisy, '--noisy', '--out', path.join(dir, 'op-noisy-job', 'ft.onnx'),
      '--steps', '3', '--export-job', noisyJob, ...tiny]);
    expect(selfJob.code, selfJob.stderr).toBe(0);
    expect(JSON.parse(await fs.readFile(path.join(noisyJob, 'job.json'), 'utf8'))).toMatchObject({ oldPrint: true, sigma: 12, unsupported: { noiseBank: true } });
    if (of(self.events, 'done')[0]!.adopted) expect((await loadManifest(path.join(dir, 'op-noisy')))[0]).toMatchObject({ noiseLevel: 12, degradations: ['old-print'] });
    // A blind base takes one level; other bases keep their own defaults.
    expect(() => blindBaseOptions({ task: 'denoise', start: { base: entry! }, sigma: [0, 75] })).toThrow(/one noise level \(12\): give one fixed --sigma/);
    const [shippedGray] = (await loadManifest(path.join(ROOT, 'models'))).filter((m) => m.id === 'denoise-gray');
    expect(blindBaseOptions({ task: 'denoise', start: { base: shippedGray! } })).toEqual({});
  }, 180_000);

  it('refuses --noisy without a denoising base, or with synthetic-noise options', async () => {
    const a = await restore(['train', '--task', 'denoise', '--data', noisy, '--noisy', '--out', path.join(dir, 'x.onnx'), ...tiny]);
    expect([a.code, a.stderr]).toEqual([2, expect.stringContaining('--noisy fine-tunes a denoiser')]);
    const b = await restore(['train', '--task', 'denoise', '--base', 'tiny-base', '--models-dir', baseDir, '--data', noisy, '--noisy', '--sigma', '25',
      '--out', path.join(dir, 'x.onnx'), ...tiny]);
    expect([b.code, b.stderr]).toEqual([2, expect.stringContaining('leave out')]);
  });
});
