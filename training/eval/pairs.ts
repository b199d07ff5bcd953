// Scoring a denoiser on degraded/reference pairs whose noise is not white Gaussian of a known
// sigma (old prints, a collection's own camera noise): a blind model (manifest noiseLevel) runs at
// its own level; a white-noise denoiser is scored at every manual strength of SIGMAS and the best
// one for the set is reported (what a user could reach with the slider). Shared by the old-print
// protocol (./oldPrint.ts) and `restore eval --inputs` (degraded files given beside the set).
import path from 'node:path';
import type { Planar } from '../data/degrade';
import { listImages } from '../data/images';
import { loadPlanar } from './images';
import { psnr, to8bit } from './metrics';
import type { ModelRunner } from './runner';
import { writeComparison } from './crops';
import type { CropRequest, EvalRow } from './evaluate';

export const SIGMAS = [5, 10, 15, 20, 25, 30, 40, 50];

export interface DegradedPair { name: string; image: string; input: Planar; target: Planar }

/** Rows for the degraded input and the model (blind: its level; else the best of SIGMAS). */
export async function scorePairs(
  runner: ModelRunner | null, set: string, protocol: string, pairs: AsyncIterable<DegradedPair> | Iterable<DegradedPair>,
  crops?: CropRequest & { prefix: string; label: string },
): Promise<EvalRow[]> {
  const fixed = runner?.entry.noiseLevel;
  const sigmas = runner ? (fixed !== undefined ? [fixed] : SIGMAS) : [];
  const input: number[] = [];
  const model: number[][] = sigmas.map(() => []);
  let i = 0;
  for await (const p of pairs) {
    input.push(psnr(p.input, p.target));
    for (const [k, s] of sigmas.entries()) {
      const level = { c: 1, h: p.input.h, w: p.input.w, data: new Float32Array(p.input.h * p.input.w).fill(s / 255) };
      const out: Planar = await runner!.run({ image: p.input, noise_level: level });
      const out8 = { ...out, data: to8bit(out.data) };
      model[k]!.push(psnr(out8, p.target));
      if (crops && i < crops.count && (fixed !== undefined || s === 15)) {
        const file = path.join(crops.dir, `${crops.prefix}-${set}-${p.name}.png`);
        const panels = [{ label: crops.label, image: p.input }, { label: runner!.entry.id, image: out8 }];
        const at = await writeComparison(file, p.target, panels);
        crops.onCrop?.({ file, image: p.image, ...at, panels: ['reference', ...panels.map((x) => x.label)], psnr: [input[i]!, model[k]![i]!] });
      }
    }
    i++;
  }
  if (i === 0) throw new Error(`${set}: no images`);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const rows: EvalRow[] = [{ set, method: 'degraded input', protocol, psnr: mean(input), images: i }];
  if (runner) {
    const best = sigmas.map((s, k) => ({ s, v: mean(model[k]!) })).reduce((a, b) => (b.v > a.v ? b : a));
    rows.push({ set, method: runner.entry.id, protocol: fixed !== undefined ? protocol : `${protocol}, best manual sigma ${best.s}`, psnr: best.v, images: i });
  }
  return rows;
}

/** `restore eval --inputs <dir>`: each reference of `setDir` paired with the same-named file
 * (any extension) of `inputsDir`, both at the model's channel count; a missing one is an error. */
export async function evalGivenInputs(runner: ModelRunner | null, setDir: string, inputsDir: string, crops?: CropRequest): Promise<EvalRow[]> {
  const refs = await listImages(setDir);
  const given = await listImages(inputsDir);
  const byName = new Map(given.map((f) => [path.parse(f).name, f]));
  const channels = (runner?.entry.inputs.find((x) => x.role === 'image')?.channels ?? 3) === 1 ? 1 : 3;
  const missing = refs.filter((f) => !byName.has(path.parse(f).name));
  if (missing.length > 0) throw new Error(`${inputsDir}: no degraded file for ${path.basename(missing[0]!)}${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}`);
  async function* pairs(): AsyncGenerator<DegradedPair> {
    for (const f of refs) {
      const name = path.parse(f).name;
      const inputFile = byName.get(name)!;
      const target = await loadPlanar(f, channels);
      const input = await loadPlanar(inputFile, channels);
      if (input.w !== target.w || input.h !== target.h) throw new Error(`${inputFile}: ${input.w}x${input.h}, but its reference ${path.basename(f)} is ${target.w}x${target.h}`);
      yield { name, image: inputFile, input, target };
    }
  }
  const protocol = `given degraded files (${path.basename(inputsDir)}), 8-bit`;
  return scorePairs(runner, path.basename(setDir), protocol, pairs(), crops && { ...crops, prefix: 'given', label: 'degraded input' });
}
