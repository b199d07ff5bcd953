// Inpainting evaluation (shared/data/README.md): per image and per band of mask area (1-10%,
// 10-20%, 20-30%), a seeded free-form brush mask built stroke by stroke until its area falls in
// the band; the holes are filled white in the input; the model's output is composited into the
// holes and scored by RGB PSNR over the whole image (the white-hole input beside it). With
// `masksDir` every mask and holed input is written as PNG (<image>-<band>-mask.png / -input.png)
// so that classic baselines (OpenCV Telea and Navier-Stokes: training/recipes/inpaint_baselines.py)
// are scored on exactly the same holes.
import path from 'node:path';
import { listImages } from '../data/images';
import { brushMask, type Planar } from '../data/degrade';
import { Rng } from '../rng';
import { stepSeed } from '../data/loader';
import { loadPlanar } from './images';
import { psnr, to8bit } from './metrics';
import type { ModelRunner } from './runner';
import { writePanels } from './crops';
import { pushPullFill } from '../../electron/engine/pushPull';
import type { CropRequest, EvalRow } from './evaluate';

export const MASK_BANDS: readonly [number, number][] = [[0.01, 0.1], [0.1, 0.2], [0.2, 0.3]];
export const bandName = (b: readonly [number, number]): string => `${Math.round(b[0] * 100)}-${Math.round(b[1] * 100)}%`;

/** A free-form mask (1 = hole) whose area lies in [lo, hi): medium strokes added one at a time
 * until a target area drawn uniformly in the band is reached, restarted when a stroke overshoots
 * the band; seeded, so every method sees the same holes. */
export function bandMask(h: number, w: number, band: readonly [number, number], rng: Rng): Float32Array {
  for (let attempt = 0; ; attempt++) {
    const m = new Float32Array(h * w);
    const target = rng.uniform(band[0], band[1]);
    let area = 0;
    while (area < target) {
      const s = brushMask(h, w, rng, 1, [0.015, 0.05]);
      for (let i = 0; i < m.length; i++) if (s[i]) m[i] = 1;
      area = m.reduce((a, v) => a + v, 0) / m.length;
    }
    if (area < band[1] || attempt >= 50) return m;
  }
}

export async function evalInpaint(runner: ModelRunner, setDir: string, opts: { masksDir?: string; crops?: CropRequest } = {}): Promise<EvalRow[]> {
  const files = await listImages(setDir);
  if (files.length === 0) throw new Error(`${setDir}: no images`);
  const set = path.basename(setDir);
  const c = runner.entry.inputs.find((x) => x.role === 'image')?.channels ?? 3;
  const rows: EvalRow[] = [];
  for (const [bi, band] of MASK_BANDS.entries()) {
    const model: number[] = [], white: number[] = [];
    for (const [i, f] of files.entries()) {
      const ref = await loadPlanar(f, c === 1 ? 1 : 3);
      const n = ref.h * ref.w;
      const mask = bandMask(ref.h, ref.w, band, new Rng(stepSeed(1000 + bi, i)));
      const holedWhite: Planar = { ...ref, data: ref.data.map((v, k) => ((mask[k % n] as number) > 0 ? 1 : v)) };
      // The engine feeds the holes with their push-pull fill, whatever the file holds there (tasks/inpaint.ts).
      const holed = Float32Array.from(holedWhite.data);
      pushPullFill(holed, ref.c, mask, ref.w, ref.h);
      const out = await runner.run({ image: { ...ref, data: holed }, mask: { c: 1, h: ref.h, w: ref.w, data: mask } });
      const comp: Planar = { ...ref, data: to8bit(ref.data.map((v, k) => ((mask[k % n] as number) > 0 ? (out.data[k] as number) : v))) };
      model.push(psnr(comp, ref));
      white.push(psnr(holedWhite, ref));
      const name = `${path.parse(f).name}-${bandName(band).replace('%', 'pct')}`;
      if (opts.masksDir) {
        await writePanels(path.join(opts.masksDir, `${name}-mask.png`), [{ label: 'mask', image: { c: 1, h: ref.h, w: ref.w, data: mask } }]);
        await writePanels(path.join(opts.masksDir, `${name}-input.png`), [{ label: 'input', image: holedWhite }]);
      }
      if (opts.crops && i < opts.crops.count) {
        const file = path.join(opts.crops.dir, `inpaint-${set}-${name}.png`);
        await writePanels(file, [{ label: 'input', image: holedWhite }, { label: runner.entry.id, image: comp }, { label: 'reference', image: ref }]);
        opts.crops.onCrop?.({ file, image: f, x: 0, y: 0, size: 0, panels: ['holes white', runner.entry.id, 'reference'], psnr: [white[i] as number, model[i] as number] });
      }
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const protocol = `free-form masks ${bandName(band)}, RGB`;
    rows.push({ set, method: 'holes white', protocol, maskArea: bandName(band), psnr: mean(white), images: files.length });
    rows.push({ set, method: runner.entry.id, protocol, maskArea: bandName(band), psnr: mean(model), images: files.length });
  }
  return rows;
}
