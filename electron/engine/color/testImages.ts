// Test helper: a real photo of the shared evaluation sets as Lab planes in the model's units
// (L / 100 and ab / 128, planar), optionally area-averaged down by an integer factor.
import sharp from 'sharp';
import { srgbToLab } from './lab';

export interface LabPlanes { w: number; h: number; luma: Float32Array; ab: Float32Array }

export const MCMASTER_1 = '/work/shared/data/eval/McMaster/1.png';
export const MCMASTER_10 = '/work/shared/data/eval/McMaster/10.png';
export const CBSD68_101085 = '/work/shared/data/eval/CBSD68/101085.png';

export async function loadLab(file: string): Promise<LabPlanes> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const w = info.width;
  const h = info.height;
  const n = w * h;
  const luma = new Float32Array(n);
  const ab = new Float32Array(2 * n);
  const lab = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    srgbToLab(data[3 * i]! / 255, data[3 * i + 1]! / 255, data[3 * i + 2]! / 255, lab);
    luma[i] = lab[0]! / 100;
    ab[i] = lab[1]! / 128;
    ab[n + i] = lab[2]! / 128;
  }
  return { w, h, luma, ab };
}

/** Area average by an integer factor f (the image cropped to a multiple of f). */
export function shrink(img: LabPlanes, f: number): LabPlanes {
  const w = Math.floor(img.w / f);
  const h = Math.floor(img.h / f);
  const n = w * h;
  const N = img.w * img.h;
  const luma = new Float32Array(n);
  const ab = new Float32Array(2 * n);
  for (let y = 0; y < h * f; y++) {
    for (let x = 0; x < w * f; x++) {
      const i = Math.floor(y / f) * w + Math.floor(x / f);
      const j = y * img.w + x;
      luma[i]! += img.luma[j]! / (f * f);
      ab[i]! += img.ab[j]! / (f * f);
      ab[n + i]! += img.ab[N + j]! / (f * f);
    }
  }
  return { w, h, luma, ab };
}

/** Mean squared error of two ab maps in Lab units (over both planes). */
export function abMse(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (128 * (a[i]! - b[i]!)) ** 2;
  return s / a.length;
}
