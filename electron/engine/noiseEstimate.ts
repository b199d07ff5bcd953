// Automatic noise level for denoise --sigma auto. Robust estimator of additive white Gaussian
// noise: the image is filtered with Immerkaer's Laplacian-difference kernel
// [1 -2 1; -2 4 -2; 1 -2 1] (it cancels locally linear content; its response to white noise of
// std sigma has std 6 sigma), and sigma is the median absolute response / 0.6745 / 6 (Donoho's
// MAD rule), so edges and texture, which produce a minority of large responses, barely move it.
// J. Immerkaer, "Fast Noise Variance Estimation", CVIU 64(2), 1996.
import type { PixelBuffer } from './sources';
import { maxValue } from './sources';

/** Estimated sigma on the 0-255 scale (median over colour channels). Samples at most ~maxSamples pixels. */
export function estimateNoiseSigma(buf: PixelBuffer, opts: { maxSamples?: number; colorChannels?: number } = {}): number {
  const { width: W, height: H, channels, data } = buf;
  if (W < 3 || H < 3) return 0;
  const colour = Math.min(opts.colorChannels ?? (channels >= 3 ? 3 : 1), channels);
  const interior = (W - 2) * (H - 2);
  const stride = Math.max(1, Math.round(Math.sqrt(interior / (opts.maxSamples ?? 1_000_000))));
  const scale = 255 / maxValue(buf);
  const sigmas: number[] = [];
  for (let c = 0; c < colour; c++) {
    const resp: number[] = [];
    for (let y = 1; y < H - 1; y += stride) {
      for (let x = 1; x < W - 1; x += stride) {
        const at = (dx: number, dy: number): number => data[((y + dy) * W + x + dx) * channels + c]!;
        const v =
          at(-1, -1) - 2 * at(0, -1) + at(1, -1) -
          2 * at(-1, 0) + 4 * at(0, 0) - 2 * at(1, 0) +
          at(-1, 1) - 2 * at(0, 1) + at(1, 1);
        resp.push(Math.abs(v));
      }
    }
    const arr = Float64Array.from(resp).sort();
    const median = arr[arr.length >> 1] ?? 0;
    sigmas.push(((median / 0.6745) * scale) / 6);
  }
  sigmas.sort((a, b) => a - b);
  return sigmas[sigmas.length >> 1]!;
}
