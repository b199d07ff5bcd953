// Image quality metrics of the evaluation protocols (shared/data/README.md): PSNR on [0, 1] data,
// optionally on BT.601 Y of RGB, with a border of `border` pixels ignored.
import type { Planar } from '../data/degrade';

/** BT.601 luma in [0, 1] scale of 0-255 Y / 255: Y = 16 + 65.481 R + 128.553 G + 24.966 B. */
export function yChannel(img: Planar): Float32Array {
  if (img.c === 1) return img.data;
  const n = img.h * img.w, d = img.data, y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = (16 + 65.481 * (d[i] as number) + 128.553 * (d[n + i] as number) + 24.966 * (d[2 * n + i] as number)) / 255;
  return y;
}

/** PSNR (dB, peak 1) between CHW images of equal size over all planes, ignoring `border` pixels. */
export function psnr(a: Planar, b: Planar, border = 0): number {
  if (a.c !== b.c || a.h !== b.h || a.w !== b.w) throw new Error(`psnr: sizes differ (${a.c}x${a.h}x${a.w} vs ${b.c}x${b.h}x${b.w})`);
  let se = 0, n = 0;
  for (let k = 0; k < a.c; k++) {
    for (let y = border; y < a.h - border; y++) {
      for (let x = border; x < a.w - border; x++) {
        const i = (k * a.h + y) * a.w + x;
        const d = (a.data[i] as number) - (b.data[i] as number);
        se += d * d;
        n++;
      }
    }
  }
  const mse = se / Math.max(1, n);
  return mse === 0 ? Infinity : -10 * Math.log10(mse);
}

/** Y-PSNR for super-resolution: Y of RGB (a gray image is scored on its gray values), border cropped. */
export function psnrY(a: Planar, b: Planar, border: number): number {
  const ya = { c: 1, h: a.h, w: a.w, data: yChannel(a) }, yb = { c: 1, h: b.h, w: b.w, data: yChannel(b) };
  return psnr(ya, yb, border);
}

/** Clip to [0, 1] and round to 8-bit levels (what a saved output holds). */
export function to8bit(x: Float32Array): Float32Array {
  return x.map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255) / 255);
}

/** Colourfulness of an RGB image (Hasler & Suesstrunk 2003) on the 0-255 scale: with rg = R - G
 * and yb = (R + G) / 2 - B, sqrt(sd_rg^2 + sd_yb^2) + 0.3 sqrt(mean_rg^2 + mean_yb^2). Gray is 0. */
export function colorfulness(img: Planar): number {
  if (img.c !== 3) return 0;
  const n = img.h * img.w, d = img.data;
  let srg = 0, syb = 0, srg2 = 0, syb2 = 0;
  for (let i = 0; i < n; i++) {
    const r = 255 * (d[i] as number), g = 255 * (d[n + i] as number), b = 255 * (d[2 * n + i] as number);
    const rg = r - g, yb = (r + g) / 2 - b;
    srg += rg; syb += yb; srg2 += rg * rg; syb2 += yb * yb;
  }
  const mrg = srg / n, myb = syb / n;
  const vrg = Math.max(0, srg2 / n - mrg * mrg), vyb = Math.max(0, syb2 / n - myb * myb);
  return Math.sqrt(vrg + vyb) + 0.3 * Math.sqrt(mrg * mrg + myb * myb);
}
