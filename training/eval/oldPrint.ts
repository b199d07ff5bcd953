// Old-print restoration evaluation (issue 14): eval photos made gray and degraded as old prints
// are (data/oldPrint.ts oldPrintProtocol: blur, correlated film grain, JPEG q75; seeded per image),
// RGB PSNR against the gray photo. A blind old-print model (manifest noiseLevel) runs at its own
// level; a white-noise denoiser is scored at every manual strength of SIGMAS and the best one for
// the set is reported (what a user could reach with the slider).
import path from 'node:path';
import { listImages } from '../data/images';
import { jpegRoundTrip, type Planar } from '../data/degrade';
import { oldPrintProtocol } from '../data/oldPrint';
import { Rng } from '../rng';
import { stepSeed } from '../data/loader';
import { loadPlanar } from './images';
import { psnr, to8bit } from './metrics';
import type { ModelRunner } from './runner';
import { writeComparison } from './crops';
import type { CropRequest, EvalRow } from './evaluate';

export const SIGMAS = [5, 10, 15, 20, 25, 30, 40, 50];

export async function evalOldPrint(runner: ModelRunner | null, setDir: string, crops?: CropRequest): Promise<EvalRow[]> {
  const files = await listImages(setDir);
  if (files.length === 0) throw new Error(`${setDir}: no images`);
  const set = path.basename(setDir);
  const fixed = runner?.entry.noiseLevel;
  const sigmas = runner ? (fixed !== undefined ? [fixed] : SIGMAS) : [];
  const input: number[] = [];
  const model: number[][] = sigmas.map(() => []);
  for (const [i, f] of files.entries()) {
    const clean = await loadPlanar(f, 3);
    const p = oldPrintProtocol(clean, new Rng(stepSeed(3000, i)));
    const degraded: Planar = { ...p.input, data: to8bit((await jpegRoundTrip(p.input, p.jpeg)).data) };
    input.push(psnr(degraded, p.target));
    for (const [k, s] of sigmas.entries()) {
      const level = { c: 1, h: clean.h, w: clean.w, data: new Float32Array(clean.h * clean.w).fill(s / 255) };
      const out: Planar = await runner!.run({ image: degraded, noise_level: level });
      const out8 = { ...out, data: to8bit(out.data) };
      model[k]!.push(psnr(out8, p.target));
      if (crops && i < crops.count && (fixed !== undefined || s === 15)) {
        const file = path.join(crops.dir, `old-print-${set}-${path.parse(f).name}.png`);
        const panels = [{ label: 'old-print input', image: degraded }, { label: runner!.entry.id, image: out8 }];
        const at = await writeComparison(file, p.target, panels);
        crops.onCrop?.({ file, image: f, ...at, panels: ['reference', ...panels.map((x) => x.label)], psnr: [input[i]!, model[k]![i]!] });
      }
    }
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const protocol = 'old print: gray, blur 0.8, grain 1px sd 0.05, JPEG 75';
  const rows: EvalRow[] = [{ set, method: 'degraded input', protocol, psnr: mean(input), images: files.length }];
  if (runner) {
    const best = sigmas.map((s, k) => ({ s, v: mean(model[k]!) })).reduce((a, b) => (b.v > a.v ? b : a));
    rows.push({ set, method: runner.entry.id, protocol: fixed !== undefined ? protocol : `${protocol}, best manual sigma ${best.s}`, psnr: best.v, images: files.length });
  }
  return rows;
}
