// Evaluation protocols on the real shared sets: MATLAB-bicubic baselines reproduce the published
// Set5/Set14 numbers (README's check of an evaluation's code); denoising reports both noise
// protocols; `restore eval` prints the rows beside the anchors and rejects bad input; --tta scores
// the self-ensemble under its own protocol name; a detector's calibration reports every pair of
// thresholds it tried and picks the best allowed one.
import { describe, expect, it } from 'vitest';
import { evalDenoise, evalUpscale } from './evaluate';
import { run } from '../../electron/cli/commands/eval';
import type { CliIO } from '../../electron/cli/io';
import { testUpsampler, writeModelDir } from '../../electron/engine/test/models';
import { mkdtempSync, mkdirSync, linkSync, readdirSync, rmSync } from 'node:fs';
import sharp from 'sharp';
import os from 'node:os';
import path from 'node:path';

const SR = '/work/shared/data/eval/sr';

function io(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [], err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), isTTY: false, cwd: process.cwd(), env: {}, onInterrupt: () => () => undefined };
}

describe('evaluation protocols', () => {
  it('bicubic x2/x4 on Set5 and x4 on Set14 reproduce the published numbers', async () => {
    const [x2] = await evalUpscale(null, `${SR}/Set5`, 2);
    const [x4] = await evalUpscale(null, `${SR}/Set5`, 4);
    const [s14] = await evalUpscale(null, `${SR}/Set14`, 4);
    expect(Math.abs((x2?.psnr ?? 0) - 33.66)).toBeLessThan(0.03);
    expect(Math.abs((x4?.psnr ?? 0) - 28.42)).toBeLessThan(0.03);
    expect(Math.abs((s14?.psnr ?? 0) - 26.0)).toBeLessThan(0.03);
  });

  it('denoising noise protocols: float unclipped vs 8-bit clipped inputs', async () => {
    const rows = await evalDenoise(null, '/work/shared/data/eval/Set12', 25);
    const f = rows.find((r) => r.protocol === 'float-unclipped'), q = rows.find((r) => r.protocol === '8bit-clipped');
    // sigma 25 white noise on [0, 255]: 20 log10(255 / 25) = 20.17 dB before clipping.
    expect(Math.abs((f?.psnr ?? 0) - 20.17)).toBeLessThan(0.05);
    expect(q?.psnr).toBeGreaterThan(f?.psnr ?? Infinity);
    expect(f?.images).toBe(12);
  });

  it('restore eval prints rows beside the anchors, and bad sets are one-line errors', async () => {
    const a = io();
    expect(await run(['--task', 'upscale', '--set', `${SR}/Set5`, '--scale', '4', '--json'], a)).toBe(0);
    const ev = a.out.join('').trim().split('\n').map((l) => JSON.parse(l) as { type: string; method?: string; anchors?: { method: string; psnr: number }[] });
    const bic = ev.find((e) => e.type === 'eval' && e.method === 'bicubic');
    expect(bic?.anchors?.find((x) => x.method === 'bicubic')?.psnr).toBe(28.42);
    const b = io();
    expect(await run(['--task', 'upscale', '--set', '/nonexistent/set', '--scale', '2'], b)).toBe(1);
    expect(b.err[b.err.length - 1]).toMatch(/^restore eval: \/nonexistent\/set: [^\n]*\n$/);
    const c = io();
    expect(await run(['--task', 'upscale'], c)).toBe(2);
  });

  it('restore eval --tta scores the self-ensemble as its own protocol', async () => {
    const models = await writeModelDir([testUpsampler(2)]);
    try {
      const score = async (extra: string[]): Promise<{ protocol: string; psnr: number }> => {
        const o = io();
        expect(await run(['--task', 'upscale', '--set', `${SR}/Set5`, '--model', 'test-upscale-x2', '--models-dir', models.dir, '--threads', '2', '--json', ...extra], o)).toBe(0);
        const rows = o.out.join('').trim().split('\n').map((l) => JSON.parse(l) as { type: string; method?: string; protocol: string; psnr: number });
        return rows.find((r) => r.type === 'eval' && r.method === 'test-upscale-x2')!;
      };
      const [plain, tta] = [await score([]), await score(['--tta'])];
      expect(plain.protocol).toBe('Y, border=2');
      expect(tta.protocol).toBe('Y, border=2, TTA x8');
      // a random network is not flip-equivariant: the ensemble scores differently
      expect(Number.isFinite(tta.psnr) && Number.isFinite(plain.psnr)).toBe(true);
      expect(tta.psnr).not.toBeCloseTo(plain.psnr, 3);
    } finally {
      await models.cleanup();
    }
  });

  it('restore eval --task inpaint --masks writes every mask and white-hole input into a folder it creates', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'eval-masks-'));
    try {
      const set = path.join(dir, 'set');
      mkdirSync(set);
      linkSync('/work/shared/data/eval/CBSD68/101087.png', path.join(set, '101087.png'));
      const masks = path.join(dir, 'not', 'yet', 'there');
      const o = io();
      expect(await run(['--task', 'inpaint', '--set', set, '--model', 'inpaint', '--models-dir', path.resolve('models'), '--masks', masks, '--threads', '2'], o), o.err.join('')).toBe(0);
      const files = readdirSync(masks).sort();
      expect(files).toEqual(['1-10pct', '10-20pct', '20-30pct'].flatMap((b) => [`101087-${b}-input.png`, `101087-${b}-mask.png`]));
      const { data, info } = await sharp(path.join(masks, '101087-10-20pct-mask.png')).raw().toBuffer({ resolveWithObject: true });
      let holes = 0;
      for (let i = 0; i < data.length; i += info.channels) holes += data[i] === 255 ? 1 : 0;
      expect(holes / (info.width * info.height)).toBeGreaterThanOrEqual(0.1);
      expect(holes / (info.width * info.height)).toBeLessThan(0.2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('restore eval --calibrate (shipped detector, 3 Set12 photos) reports each pair of thresholds and picks the best one marking at most 0.5%', async () => {
    const set = mkdtempSync(path.join(os.tmpdir(), 'calib-'));
    for (const f of ['01.png', '02.png', '05.png']) linkSync(path.join('/work/shared/data/eval/Set12', f), path.join(set, f));
    try {
      const o = io();
      expect(await run(['--task', 'detect-damage', '--model', 'detect-damage', '--models-dir', path.resolve('models'), '--set', set, '--calibrate', '--threads', '2', '--json'], o)).toBe(0);
      const ev = o.out.join('').trim().split('\n').map((l) => JSON.parse(l) as { type: string; threshold: number; thresholdLow?: number; f1: number; markedClean: number });
      const sweep = ev.filter((e) => e.type === 'calibration');
      const best = ev.find((e) => e.type === 'eval')!;
      // plain thresholds and hysteresis pairs were both tried
      expect(sweep.some((p) => p.thresholdLow === p.threshold)).toBe(true);
      expect(sweep.some((p) => (p.thresholdLow ?? 1) < p.threshold)).toBe(true);
      const allowed = sweep.filter((p) => p.markedClean <= 0.5);
      expect(allowed.length).toBeGreaterThan(0);
      expect(best.f1).toBeCloseTo(Math.max(...allowed.map((p) => p.f1)), 4);
      expect(best.markedClean).toBeLessThanOrEqual(0.5);
    } finally {
      rmSync(set, { recursive: true, force: true });
    }
  });
});
