// Evaluation protocols of shared/data/README.md, per task:
//  - denoise: AWGN of sigma (0-255 scale), seed 0, added to the float image without clipping
//    ("float-unclipped", the published tables) and saved as an 8-bit file ("8bit-clipped"); PSNR on
//    RGB or gray, no border; the noisy input's PSNR is reported alongside;
//  - upscale: LR -> model -> compare with HR on Y (BT.601), border = scale; gray references scored
//    on gray values; MATLAB bicubic is reported as the baseline (it must reproduce the anchors);
//  - colorize: RGB PSNR and colourfulness, automatic and with colour points (./colorize.ts);
//  - inpaint: seeded free-form masks in three area bands, PSNR of the composited result (./inpaint.ts);
//  - denoise --old-print: gray photos blurred, with film grain and JPEG (./oldPrint.ts);
//  - denoise --inputs: degraded files given beside the set, paired by name (./pairs.ts);
//  - detect-damage: synthetic thin scratches, pixel F1 with a 2-pixel tolerance (./detect.ts).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { listImages } from '../data/images';
import { imresize, type Planar } from '../data/degrade';
import { Rng } from '../rng';
import { loadPlanar } from './images';
import { psnr, psnrY, to8bit } from './metrics';
import type { ModelRunner } from './runner';
import type { TaskName } from '../../models/manifest';
import { writeComparison } from './crops';
import { evalColorize } from './colorize';
import { evalInpaint } from './inpaint';
import { evalDetect, type SweepPoint } from './detect';
import { evalOldPrint } from './oldPrint';
import { evalGivenInputs } from './pairs';

/** Before/after pictures of the first `count` images, written into `dir` (see crops.ts). */
export interface CropRequest { dir: string; count: number; onCrop?: (c: CropInfo) => void }
export interface CropInfo { file: string; image: string; x: number; y: number; size: number; panels: string[]; psnr: number[] }

export interface EvalRow {
  set: string; method: string; protocol: string; sigma?: number; scale?: number; images: number;
  /** Absent for detect-damage rows (scored by F1). */
  psnr?: number;
  /** colorize: colour points given, colourfulness of the outputs and of the references. */
  hints?: number; colorfulness?: number; referenceColorfulness?: number;
  /** inpaint: band of mask area; detect-damage: precision, recall, F1 (2-px tolerance), % marked on clean photos, threshold. */
  maskArea?: string; precision?: number; recall?: number; f1?: number; markedClean?: number; threshold?: number;
  /** detect-damage: the hysteresis threshold marks were followed down to (absent: plain thresholding). */
  thresholdLow?: number;
}

const clip = (p: Planar): Planar => ({ ...p, data: p.data.map((v) => (v < 0 ? 0 : v > 1 ? 1 : v)) });

function toChannels(p: Planar, c: number): Planar {
  if (p.c === c) return p;
  const n = p.h * p.w;
  if (c === 3) {
    const d = new Float32Array(3 * n);
    d.set(p.data, 0); d.set(p.data, n); d.set(p.data, 2 * n);
    return { c: 3, h: p.h, w: p.w, data: d };
  }
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = 0.299 * (p.data[i] as number) + 0.587 * (p.data[n + i] as number) + 0.114 * (p.data[2 * n + i] as number);
  return { c: 1, h: p.h, w: p.w, data: d };
}

function mean(xs: number[]): { mean: number; n: number } {
  return { mean: xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length), n: xs.length };
}

export async function evalDenoise(runner: ModelRunner | null, setDir: string, sigma: number, crops?: CropRequest): Promise<EvalRow[]> {
  const files = await listImages(setDir);
  if (files.length === 0) throw new Error(`${setDir}: no images`);
  const set = path.basename(setDir);
  const channels = runner?.entry.inputs.find((i) => i.role === 'image')?.channels;
  const rng = new Rng(0);
  const acc = { noisyF: [] as number[], noisy8: [] as number[], modelF: [] as number[], model8: [] as number[] };
  for (const f of files) {
    let clean = await loadPlanar(f);
    if (channels) clean = toChannels(clean, channels);
    const noisy = { ...clean, data: clean.data.map((v) => v + (sigma / 255) * rng.normal()) };
    const noisy8 = { ...noisy, data: to8bit(noisy.data) };
    acc.noisyF.push(psnr(noisy, clean));
    acc.noisy8.push(psnr(noisy8, clean));
    if (runner) {
      const level = { c: 1, h: clean.h, w: clean.w, data: new Float32Array(clean.h * clean.w).fill(sigma / 255) };
      acc.modelF.push(psnr(clip(await runner.run({ image: noisy, noise_level: level })), clean));
      const out8 = clip(await runner.run({ image: noisy8, noise_level: level }));
      acc.model8.push(psnr(out8, clean));
      const k = acc.model8.length - 1;
      if (crops && k < crops.count) {
        const file = path.join(crops.dir, `${set}-sigma${sigma}-${path.parse(f).name}.png`);
        const panels = [{ label: `noisy sigma ${sigma} (8-bit file)`, image: noisy8 }, { label: runner.entry.id, image: out8 }];
        const at = await writeComparison(file, clean, panels);
        crops.onCrop?.({ file, image: f, ...at, panels: ['reference', ...panels.map((p) => p.label)], psnr: [acc.noisy8[k] as number, acc.model8[k] as number] });
      }
    }
  }
  const rows: EvalRow[] = [];
  const add = (method: string, protocol: string, xs: number[]): void => {
    if (xs.length === 0) return;
    const m = mean(xs);
    rows.push({ set, method, protocol, sigma, psnr: m.mean, images: m.n });
  };
  add('noisy input', 'float-unclipped', acc.noisyF);
  add('noisy input', '8bit-clipped', acc.noisy8);
  add(runner?.entry.id ?? '', 'float-unclipped', acc.modelF);
  add(runner?.entry.id ?? '', '8bit-clipped', acc.model8);
  return rows;
}

/** Finds HR/LR folders: `<set>/x<scale>/{HR,LR}`, `<set>/{HR,LR}`. */
async function srPairs(setDir: string, scale: number): Promise<{ hr: string[]; lr: string[]; name: string }> {
  const candidates = [path.join(setDir, `x${scale}`), setDir];
  for (const c of candidates) {
    const hrDir = path.join(c, 'HR'), lrDir = path.join(c, 'LR');
    if (await fs.stat(hrDir).then((s) => s.isDirectory(), () => false)) {
      const hr = await listImages(hrDir), lr = await listImages(lrDir);
      if (hr.length !== lr.length || hr.length === 0) throw new Error(`${c}: HR and LR folders do not pair up (${hr.length} vs ${lr.length} images)`);
      const name = path.basename(c) === `x${scale}` ? path.basename(path.dirname(c)) : path.basename(c);
      return { hr, lr, name };
    }
  }
  throw new Error(`${setDir}: no HR/LR pairs for x${scale} (expected ${path.join(setDir, `x${scale}`, 'HR')})`);
}

/**
 * What evalUpscale needs of a model: ModelRunner (ONNX Runtime) has it, and so can a wrapper of
 * another runtime (the benchmark's ESRGAN comparison, electron/bench/compare), so that both are
 * scored by this one protocol. `run` takes a whole CHW image in [0, 1] and returns it upscaled.
 */
export interface UpscaleModel {
  readonly entry: { readonly id: string; readonly inputs: readonly { readonly role: string; readonly channels: number }[] };
  run(inputs: { image: Planar }): Promise<Planar>;
}

export async function evalUpscale(runner: UpscaleModel | null, setDir: string, scale: number, crops?: CropRequest): Promise<EvalRow[]> {
  const { hr, lr, name } = await srPairs(setDir, scale);
  const bic: number[] = [], model: number[] = [];
  for (let i = 0; i < hr.length; i++) {
    const H = await loadPlanar(hr[i] as string);
    const L = await loadPlanar(lr[i] as string, H.c as 1 | 3);
    if (L.h * scale !== H.h || L.w * scale !== H.w) throw new Error(`${lr[i]}: ${L.w}x${L.h} is not ${H.w}x${H.h} / ${scale}`);
    const b = imresize(L, H.h, H.w);
    bic.push(psnrY({ ...b, data: to8bit(b.data) }, H, scale));
    if (runner) {
      const c = runner.entry.inputs.find((x) => x.role === 'image')?.channels ?? 3;
      const out = toChannels(await runner.run({ image: toChannels(L, c) }), H.c);
      const out8 = { ...out, data: to8bit(out.data) };
      model.push(psnrY(out8, H, scale));
      if (crops && i < crops.count) {
        const file = path.join(crops.dir, `${name}-x${scale}-${path.parse(hr[i] as string).name}.png`);
        const b8 = { ...b, data: to8bit(b.data) };
        const panels = [{ label: `input x${scale} (pixels repeated)`, image: L }, { label: 'bicubic', image: b8 }, { label: runner.entry.id, image: out8 }];
        const at = await writeComparison(file, H, panels, 160, scale);
        crops.onCrop?.({ file, image: hr[i] as string, ...at, panels: ['reference', ...panels.map((p) => p.label)], psnr: [bic[i] as number, model[i] as number] });
      }
    }
  }
  const rows: EvalRow[] = [{ set: name, method: 'bicubic', protocol: `Y, border=${scale}`, scale, psnr: (mean(bic)).mean, images: hr.length }];
  if (runner) rows.push({ set: name, method: runner.entry.id, protocol: `Y, border=${scale}`, scale, psnr: (mean(model)).mean, images: hr.length });
  return rows;
}

export async function evaluate(task: TaskName, runner: ModelRunner | null, setDir: string, opts: {
  sigma?: number; scale?: number; hints?: number[]; crops?: CropRequest;
  /** inpaint: write masks and holed inputs here (for the classic baselines). */ masks?: string;
  /** detect-damage: threshold to score at, or pick the best on this set (each pair tried to onSweep). */ threshold?: number; calibrate?: boolean; onSweep?: (p: SweepPoint) => void;
  /** denoise: the old-print protocol (./oldPrint.ts) instead of white noise. */ oldPrint?: boolean;
  /** denoise: degraded files given beside the set (./pairs.ts evalGivenInputs). */ inputs?: string;
}): Promise<EvalRow[]> {
  if (opts.crops) await fs.mkdir(opts.crops.dir, { recursive: true });
  switch (task) {
    case 'denoise': return opts.inputs ? evalGivenInputs(runner, setDir, opts.inputs, opts.crops) : opts.oldPrint ? evalOldPrint(runner, setDir, opts.crops) : evalDenoise(runner, setDir, opts.sigma ?? 25, opts.crops);
    case 'upscale': return evalUpscale(runner, setDir, opts.scale ?? runner?.entry.scale ?? 2, opts.crops);
    case 'colorize':
      if (!runner) throw new Error('colorize evaluation needs a model');
      return evalColorize(runner, setDir, opts.hints ?? [0], opts.crops && {
        dir: opts.crops.dir, count: opts.crops.count,
        onPicture: (file) => opts.crops?.onCrop?.({ file, image: file, x: 0, y: 0, size: 0, panels: ['reference', 'gray', ...(opts.hints ?? [0]).map((n) => (n === 0 ? 'automatic' : `${n} points`))], psnr: [] }),
      });
    case 'inpaint':
      if (!runner) throw new Error('inpaint evaluation needs a model');
      return evalInpaint(runner, setDir, { masksDir: opts.masks, crops: opts.crops });
    case 'detect-damage':
      if (!runner) throw new Error('detect-damage evaluation needs a model');
      return evalDetect(runner, setDir, { threshold: opts.threshold, calibrate: opts.calibrate, crops: opts.crops, onSweep: opts.onSweep });
  }
}
