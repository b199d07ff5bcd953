// Where an old-print restorer gains and loses (old-print card, "Why it replaced the 3-level model"):
//  - `protocol <set>`: the old-print eval protocol (data/oldPrint.ts oldPrintProtocol: gray, blur
//    0.8 px, grain 1 px sd 0.05, JPEG 75, the same seeds as restore eval) taken apart (blur only,
//    blur + JPEG, blur + grain, grain + JPEG, all three), input and model PSNR for each;
//  - `heldout <folder>`: the training distribution (oldPrintPair, JPEG when it draws one) on centre
//    crops of held-out photos (training/recipes/held_out.ts), model PSNR at each level.
// LEVELS (default 25) are the noise levels given to the model's noise-level input.
// Usage: npx esbuild training/recipes/old_print_decomposition.ts --bundle --platform=node --format=cjs --packages=external --outfile=node_modules/.cache/old_print_decomposition.cjs
//        && [MODEL=old-print] [MODELS_DIR=<extra manifest folder>] [LEVELS=10,25] node node_modules/.cache/old_print_decomposition.cjs protocol ../shared/data/eval/CBSD68
import path from 'node:path';
import { loadManifest } from '../../models/registry';
import { ModelRunner } from '../eval/runner';
import { listImages } from '../data/images';
import { loadPlanar } from '../eval/images';
import { cropPlanar } from '../eval/crops';
import { protocolGrainRng } from '../eval/oldPrint';
import { jpegRoundTrip, type Planar } from '../data/degrade';
import { oldPrintPair, oldPrintProtocol } from '../data/oldPrint';
import { Rng } from '../rng';
import { stepSeed } from '../data/loader';
import { psnr, to8bit } from '../eval/metrics';

const PARTS: Record<string, { blur: boolean; grain: boolean; jpeg: boolean }> = {
  'blur only': { blur: true, grain: false, jpeg: false },
  'blur + JPEG': { blur: true, grain: false, jpeg: true },
  'blur + grain': { blur: true, grain: true, jpeg: false },
  'grain + JPEG': { blur: false, grain: true, jpeg: true },
  'all three (the protocol)': { blur: true, grain: true, jpeg: true },
};
const CROP = 256;

const to8 = async (p: Planar, quality: number | null): Promise<Planar> => ({ ...p, data: to8bit(quality === null ? p.data : (await jpegRoundTrip(p, quality)).data) });

async function main(): Promise<void> {
  const [mode, dir] = process.argv.slice(2);
  if ((mode !== 'protocol' && mode !== 'heldout') || !dir) throw new Error('usage: old_print_decomposition protocol <eval set> | heldout <photo folder>');
  const levels = (process.env.LEVELS ?? '25').split(',').map(Number);
  const id = process.env.MODEL ?? 'old-print';
  const dirs = ['models', ...(process.env.MODELS_DIR ? [process.env.MODELS_DIR] : [])];
  let entry, folder = '';
  for (const d of dirs) { const e = (await loadManifest(d)).find((x) => x.id === id); if (e) { entry = e; folder = d; } }
  if (!entry) throw new Error(`no model ${id} in ${dirs.join(', ')}`);
  const runner = await ModelRunner.open(entry, path.join(folder, entry.file), { threads: 2 });
  const run = async (input: Planar, level: number): Promise<Planar> => {
    const out = await runner.run({ image: input, noise_level: { c: 1, h: input.h, w: input.w, data: new Float32Array(input.h * input.w).fill(level / 255) } });
    return { ...out, data: to8bit(out.data) };
  };
  const sums = new Map<string, { n: number; input: number; model: number[] }>();
  const add = (key: string, input: number, model: number[]): void => {
    const s = sums.get(key) ?? { n: 0, input: 0, model: levels.map(() => 0) };
    s.n++; s.input += input; model.forEach((v, k) => (s.model[k]! += v));
    sums.set(key, s);
  };
  const files = await listImages(dir);
  for (const [i, f] of files.entries()) {
    if (mode === 'protocol') {
      const clean = await loadPlanar(f, 3);
      for (const [name, part] of Object.entries(PARTS)) {
        const { target, input: degraded, jpeg } = oldPrintProtocol(clean, protocolGrainRng(i), part);
        const input = await to8(degraded, part.jpeg ? jpeg : null);
        const model: number[] = [];
        for (const l of levels) model.push(psnr(await run(input, l), target));
        add(name, psnr(input, target), model);
      }
    } else {
      const full = await loadPlanar(f, 3);
      if (full.h < CROP || full.w < CROP) continue;
      const p = oldPrintPair(cropPlanar(full, (full.w - CROP) >> 1, (full.h - CROP) >> 1, CROP, CROP), new Rng(stepSeed(4242, i)));
      const input = await to8(p.input, p.jpeg);
      const model: number[] = [];
      for (const l of levels) model.push(psnr(await run(input, l), p.target));
      add(p.jpeg === null ? 'held-out pairs without JPEG' : 'held-out pairs with JPEG', psnr(input, p.target), model);
      add('held-out pairs, all', psnr(input, p.target), model);
    }
  }
  // A pair the draw left undegraded has an infinite input PSNR: the input column then reads Infinity.
  for (const [key, s] of sums) {
    process.stdout.write(`${key.padEnd(28)} n ${String(s.n).padStart(4)}  input ${(s.input / s.n).toFixed(2)}  ${levels.map((l, k) => `${id}@${l} ${(s.model[k]! / s.n).toFixed(2)}`).join('  ')}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`old_print_decomposition: ${(e as Error).message}\n`);
  process.exit(1);
});
