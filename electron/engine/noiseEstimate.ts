// Automatic noise level for denoise --sigma auto. Robust estimator of additive white Gaussian
// noise: the image is filtered with Immerkaer's Laplacian-difference kernel
// [1 -2 1; -2 4 -2; 1 -2 1] (it cancels locally linear content; its response to white noise of
// std sigma has std 6 sigma), and sigma is the median absolute response / 0.6745 / 6 (Donoho's
// MAD rule), so edges and texture, which produce a minority of large responses, barely move it.
// J. Immerkaer, "Fast Noise Variance Estimation", CVIU 64(2), 1996.
import type { PixelBuffer } from './sources';
import { maxValue } from './sources';

/** Estimated sigma on the 0-255 scale (median over colour channels). Samples at most ~maxSamples pixels per channel. */
export function estimateNoiseSigma(buf: PixelBuffer, opts: { maxSamples?: number; colorChannels?: number } = {}): number {
  const { width: W, height: H, channels, data } = buf;
  if (W < 3 || H < 3) return 0;
  const colour = Math.min(opts.colorChannels ?? (channels >= 3 ? 3 : 1), channels);
  const interior = (W - 2) * (H - 2);
  const stride = Math.max(1, Math.round(Math.sqrt(interior / (opts.maxSamples ?? 1_000_000))));
  const max = maxValue(buf);
  // |response| is an integer in [0, 16 max]: an exact median from a histogram, no sort
  const hist = new Uint32Array(16 * max + 1);
  const row = W * channels;
  const sigmas: number[] = [];
  for (let c = 0; c < colour; c++) {
    hist.fill(0);
    let n = 0;
    for (let y = 1; y < H - 1; y += stride) {
      for (let x = 1; x < W - 1; x += stride) {
        const i = (y * W + x) * channels + c;
        const up = i - row;
        const dn = i + row;
        const v =
          data[up - channels]! - 2 * data[up]! + data[up + channels]! -
          2 * data[i - channels]! + 4 * data[i]! - 2 * data[i + channels]! +
          data[dn - channels]! - 2 * data[dn]! + data[dn + channels]!;
        hist[v < 0 ? -v : v]!++;
        n++;
      }
    }
    let acc = 0;
    let median = 0;
    const half = n >> 1;
    for (let b = 0; b < hist.length; b++) {
      acc += hist[b]!;
      if (acc > half) {
        median = b;
        break;
      }
    }
    sigmas.push(((median / 0.6745) * (255 / max)) / 6);
  }
  sigmas.sort((a, b) => a - b);
  return sigmas[sigmas.length >> 1]!;
}
