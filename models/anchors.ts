// Published quality anchors (DESIGN.md "Quality anchors"), as data: model cards and evaluation
// reports put a model's PSNR next to these numbers on the same set and setting. Denoising anchors
// use float, unclipped noise (shared/data/README.md); super-resolution anchors are Y-PSNR with a
// border of `scale` pixels. Inpainting baselines are OpenCV's classic methods measured here on the
// very masks `restore eval --task inpaint` draws (training/recipes/inpaint_baselines.py, radius 3),
// since no learned inpainter publishes numbers on our sets.
import type { TaskName } from './manifest';

export interface Anchor {
  method: string;
  task: TaskName;
  set: string;
  sigma?: number;
  scale?: number;
  /** Inpainting: the band of mask area. */
  maskArea?: string;
  psnr: number;
}

function rows(task: TaskName, method: string, sets: string[], key: 'sigma' | 'scale', values: number[], table: number[][]): Anchor[] {
  const out: Anchor[] = [];
  sets.forEach((set, i) => values.forEach((v, j) => {
    const psnr = table[i]?.[j];
    if (psnr !== undefined) out.push({ method, task, set, [key]: v, psnr });
  }));
  return out;
}

const COLOR = ['CBSD68', 'Kodak24', 'McMaster'];
const SR = ['Set5', 'Set14', 'B100', 'Urban100'];
const transpose = (t: number[][]): number[][] => (t[0] ?? []).map((_, j) => t.map((r) => r[j] as number));

export const ANCHORS: readonly Anchor[] = [
  ...rows('denoise', 'CBM3D', COLOR, 'sigma', [15, 25, 50], [[33.52, 30.71, 27.38], [34.28, 31.68, 28.46], [34.06, 31.66, 28.51]]),
  ...rows('denoise', 'CDnCNN', COLOR, 'sigma', [15, 25, 50], [[33.89, 31.23, 27.92], [34.48, 32.03, 28.85], [33.44, 31.51, 28.61]]),
  ...rows('denoise', 'FFDNet', COLOR, 'sigma', [15, 25, 50], [[33.87, 31.21, 27.96], [34.63, 32.13, 28.98], [34.66, 32.35, 29.18]]),
  ...rows('denoise', 'DRUNet', COLOR, 'sigma', [15, 25, 50], [[34.30, 31.69, 28.51], [35.31, 32.89, 29.86], [35.40, 33.14, 30.08]]),
  ...rows('denoise', 'BM3D', ['Set12', 'BSD68'], 'sigma', [25], [[29.97], [28.57]]),
  ...rows('denoise', 'DnCNN', ['Set12', 'BSD68'], 'sigma', [25], [[30.44], [29.23]]),
  ...rows('denoise', 'FFDNet', ['Set12', 'BSD68'], 'sigma', [25], [[30.43], [29.19]]),
  ...rows('denoise', 'DRUNet', ['Set12', 'BSD68'], 'sigma', [25], [[30.94], [29.48]]),
  ...rows('upscale', 'bicubic', SR, 'scale', [2, 4], transpose([[33.66, 30.24, 29.56, 26.88], [28.42, 26.00, 25.96, 23.14]])),
  ...rows('upscale', 'SRCNN', SR, 'scale', [2, 4], transpose([[36.66, 32.45, 31.36, 29.50], [30.48, 27.50, 26.90, 24.52]])),
  ...rows('upscale', 'FSRCNN', SR, 'scale', [2, 4], transpose([[37.05, 32.66, 31.53, 29.88], [30.72, 27.61, 26.98, 24.62]])),
  ...rows('upscale', 'VDSR', SR, 'scale', [2, 4], transpose([[37.53, 33.05, 31.90, 30.77], [31.35, 28.02, 27.29, 25.18]])),
  ...rows('upscale', 'IMDN', SR, 'scale', [2, 4], transpose([[38.00, 33.63, 32.19, 32.17], [32.21, 28.58, 27.56, 26.04]])),
  ...rows('upscale', 'SwinIR-light', SR, 'scale', [2, 4], transpose([[38.14, 33.86, 32.31, 32.76], [32.44, 28.77, 27.69, 26.47]])),
  ...(['1-10%', '10-20%', '20-30%'] as const).flatMap((maskArea, j) => [
    { method: 'OpenCV Telea (measured)', task: 'inpaint' as const, set: 'CBSD68', maskArea, psnr: [32.57, 27.40, 24.65][j]! },
    { method: 'OpenCV Navier-Stokes (measured)', task: 'inpaint' as const, set: 'CBSD68', maskArea, psnr: [32.58, 27.35, 24.62][j]! },
    { method: 'OpenCV Telea (measured)', task: 'inpaint' as const, set: 'McMaster', maskArea, psnr: [29.34, 25.38, 22.72][j]! },
    { method: 'OpenCV Navier-Stokes (measured)', task: 'inpaint' as const, set: 'McMaster', maskArea, psnr: [29.26, 25.45, 22.76][j]! },
  ]),
  { method: 'AOT-GAN', task: 'inpaint', set: 'Places512 mask 1-10%', psnr: 34.79 },
  { method: 'AOT-GAN', task: 'inpaint', set: 'Places512 mask 10-20%', psnr: 29.49 },
  { method: 'AOT-GAN', task: 'inpaint', set: 'Places512 mask 20-30%', psnr: 26.03 },
];

/** Anchors for one evaluation setting (same task, set and sigma or scale). */
export function anchorsFor(task: TaskName, set: string, setting: { sigma?: number; scale?: number; maskArea?: string }): Anchor[] {
  return ANCHORS.filter((a) => a.task === task && a.set.toLowerCase() === set.toLowerCase()
    && (a.sigma === undefined || a.sigma === setting.sigma) && (a.scale === undefined || a.scale === setting.scale)
    && (a.maskArea === undefined || a.maskArea === setting.maskArea));
}
