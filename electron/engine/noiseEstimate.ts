// Automatic noise level for denoise --sigma auto: the standard deviation of additive white Gaussian
// noise, on the 0-255 scale. Three parts:
//  1. Residual: Immerkaer's Laplacian-difference kernel [1 -2 1; -2 4 -2; 1 -2 1] cancels locally
//     linear content; its response to white noise of std sigma has std 6 sigma. Robust scale: the
//     median absolute response / 0.6745 (Donoho's MAD rule).
//     J. Immerkaer, "Fast Noise Variance Estimation", CVIU 64(2), 1996.
//  2. Weak-texture selection (Liu, Tanaka, Okutomi, "Single-image noise level estimation for blind
//     denoising", IEEE TIP 22(12), 2013): texture inflates the residual (a textured photo at sigma 5
//     read 6-9). The image is cut into 8 x 8 blocks; a block of pure noise has gradient energy
//     (sum of squared horizontal and vertical differences) ~ sigma^2 Gamma(n/2, 2 tr(D'D)/n), so
//     only blocks below its 99.9% quantile at the current sigma are kept and sigma is re-estimated
//     on them, until it settles (a few rounds).
//  3. Clipping: a saved 8/16-bit photo clips the noise at black and white, which lowers the
//     residual (sigma 75 read about 60). The MAD rule is solved under that model instead: with
//     g(mu, sigma) the std of clip(mu + sigma Z) (a censored normal) and mu from each pixel's local
//     5 x 5 mean (itself inverted through the censored mean), sigma is the value at which the
//     expected fraction of |residual| below the observed median is one half. Without clipping
//     (float data) this is exactly median / 0.6745 / 6.
// Colour images: the median of the per-channel estimates. Large images are sampled in crops.
import type { PixelBuffer } from './sources';
import { maxValue } from './sources';

/** One channel (or a crop of it) on the 0-255 scale, row-major. */
export interface NoisePlane {
  width: number;
  height: number;
  data: Float32Array;
}

export interface NoiseEstimateOptions {
  /** At most about this many pixels per channel are examined (crops spread over the image). */
  maxSamples?: number;
  /** Colour channels to examine (the rest, e.g. alpha, are ignored); default 3 for 3+ channels, else 1. */
  colorChannels?: number;
}

const BLOCK = 8;
const KEEP_QUANTILE_Z = 3.09; // standard normal 99.9% quantile: keeps 99.9% of pure-noise blocks
const ROUNDS = 6;
/** Local mean window radius (5 x 5) for the clipping model: its noise, sigma / 5, blurs mu little. */
const MEAN_RADIUS = 2;
const MAD = 0.6745;

/** Estimated sigma (0-255 scale) of a raster: median over its colour channels, each clipped at [0, max]. */
export function estimateNoiseSigma(buf: PixelBuffer, opts: NoiseEstimateOptions = {}): number {
  const { width: W, height: H, channels } = buf;
  if (W < 3 || H < 3) return 0;
  const colour = Math.min(opts.colorChannels ?? (channels >= 3 ? 3 : 1), channels);
  const sigmas: number[] = [];
  for (let c = 0; c < colour; c++) sigmas.push(estimateChannelSigma(channelCrops(buf, c, opts.maxSamples ?? 1_000_000), true));
  return median(sigmas);
}

/** Estimated sigma of float planes (0-255 scale, one per channel; unclipped data: clipped = false). */
export function estimateNoiseSigmaPlanes(planes: NoisePlane[], opts: { clipped: boolean }): number {
  return median(planes.map((p) => estimateChannelSigma([p], opts.clipped)));
}

/** Crops of one channel on the 0-255 scale: the whole channel when small, else a grid of 130 x 130 crops. */
function channelCrops(buf: PixelBuffer, channel: number, maxSamples: number): NoisePlane[] {
  const { width: W, height: H, channels, data } = buf;
  const scale = 255 / maxValue(buf);
  const crop = (x0: number, y0: number, w: number, h: number): NoisePlane => {
    const out = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      let k = ((y0 + y) * W + x0) * channels + channel;
      for (let x = 0; x < w; x++, k += channels) out[y * w + x] = data[k]! * scale;
    }
    return { width: w, height: h, data: out };
  };
  if (W * H <= maxSamples) return [crop(0, 0, W, H)];
  const side = 16 * BLOCK + 2 * MEAN_RADIUS; // 16 x 16 blocks plus the local mean's border
  const count = Math.max(1, Math.floor(maxSamples / (side * side)));
  const perRow = Math.max(1, Math.round(Math.sqrt((count * W) / H)));
  const rows = Math.max(1, Math.round(count / perRow));
  const crops: NoisePlane[] = [];
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < perRow; i++) {
      const w = Math.min(side, W), h = Math.min(side, H);
      const x0 = Math.round(((W - w) * (i + 0.5)) / perRow);
      const y0 = Math.round(((H - h) * (j + 0.5)) / rows);
      crops.push(crop(x0, y0, w, h));
    }
  }
  return crops;
}

/** Per-block statistics of one channel, block b at [b * 64, (b + 1) * 64): Laplacian residuals and 5 x 5 local means of its pixels, and its gradient energy. */
interface Blocks {
  count: number;
  residuals: Float32Array;
  means: Float32Array;
  energy: Float64Array;
}

const PIXELS = BLOCK * BLOCK;
/** Difference terms in a block's gradient energy (horizontal and vertical neighbours inside it). */
const TERMS = 2 * BLOCK * (BLOCK - 1);

function blocksOf(crops: NoisePlane[]): Blocks {
  const R = MEAN_RADIUS;
  const per = (n: number): number => Math.max(0, Math.floor((n - 2 * R) / BLOCK));
  const count = crops.reduce((a, p) => a + per(p.width) * per(p.height), 0);
  const residuals = new Float32Array(count * PIXELS), means = new Float32Array(count * PIXELS), energy = new Float64Array(count);
  const area = (2 * R + 1) * (2 * R + 1);
  let k = 0, n = 0;
  for (const { width: W, height: H, data: d } of crops) {
    for (let by = R; by + BLOCK <= H - R; by += BLOCK) {
      for (let bx = R; bx + BLOCK <= W - R; bx += BLOCK) {
        let e = 0;
        for (let y = by; y < by + BLOCK; y++) {
          for (let x = bx; x < bx + BLOCK; x++) {
            const i = y * W + x, u = i - W, b = i + W;
            residuals[n] = d[u - 1]! - 2 * d[u]! + d[u + 1]! - 2 * d[i - 1]! + 4 * d[i]! - 2 * d[i + 1]! + d[b - 1]! - 2 * d[b]! + d[b + 1]!;
            let sum = 0;
            for (let dy = -R; dy <= R; dy++) for (let dx = -R, j = i + dy * W - R; dx <= R; dx++, j++) sum += d[j]!;
            means[n++] = sum / area;
            if (x + 1 < bx + BLOCK) e += (d[i + 1]! - d[i]!) ** 2;
            if (y + 1 < by + BLOCK) e += (d[b]! - d[i]!) ** 2;
          }
        }
        energy[k++] = e;
      }
    }
  }
  return { count, residuals, means, energy };
}

/** sigma of one channel from its crops (see the header). */
function estimateChannelSigma(crops: NoisePlane[], clipped: boolean): number {
  const blocks = blocksOf(crops);
  if (blocks.count === 0) return tinySigma(crops);
  // Pure noise: energy / sigma^2 ~ Gamma(shape n/2, scale 2 tr/n) with n pixels and tr = 2 x TERMS
  // (each difference row of D holds +1 and -1); its upper quantile by Wilson-Hilferty.
  const shape = PIXELS / 2, scale = (2 * 2 * TERMS) / PIXELS;
  const q = shape * scale * (1 - 1 / (9 * shape) + KEEP_QUANTILE_Z / (3 * Math.sqrt(shape))) ** 3;
  const all = Int32Array.from({ length: blocks.count }, (_, i) => i);
  let sigma = sigmaFromBlocks(blocks, all, clipped);
  for (let round = 0; round < ROUNDS; round++) {
    const limit = sigma * sigma * q;
    const kept = all.filter((b) => blocks.energy[b]! <= limit);
    if (kept.length < Math.max(8, blocks.count * 0.02)) break; // too few flat blocks: keep the estimate from all
    const next = sigmaFromBlocks(blocks, kept, clipped);
    const settled = Math.abs(next - sigma) < 0.001 * Math.max(1, sigma);
    sigma = next;
    if (settled) break;
  }
  return sigma;
}

/** MAD estimate over the residuals of the `kept` blocks, solved under the clipping model when the data is clipped. */
function sigmaFromBlocks(blocks: Blocks, kept: Int32Array, clipped: boolean): number {
  const abs = new Float32Array(kept.length * PIXELS);
  const hist = new Float64Array(256); // local means, 1-level bins
  let k = 0;
  for (const b of kept) {
    for (let i = b * PIXELS, end = i + PIXELS; i < end; i++) {
      abs[k++] = Math.abs(blocks.residuals[i]!);
      const v = Math.round(blocks.means[i]!);
      hist[v < 0 ? 0 : v > 255 ? 255 : v]! += 1;
    }
  }
  const m = kthSmallest(abs, abs.length >> 1);
  const plain = m / MAD / 6;
  if (!clipped || plain === 0) return plain;
  const total = abs.length;
  // Fraction of |residual| below m expected at sigma s: residual ~ N(0, (6 g(mu, s))^2) per pixel.
  const fractionBelow = (s: number): number => {
    const mu = censoredMeanInverseTable(s);
    let acc = 0;
    for (let v = 0; v < 256; v++) {
      const c = hist[v]!;
      if (c === 0) continue;
      const g = v > 6 * s && v < 255 - 6 * s ? s : censoredStd(mu[v]!, s); // far from 0 and 255: no clipping
      acc += c * (g > 0 ? erf(m / (6 * g * Math.SQRT2)) : 1);
    }
    return acc / total;
  };
  // fractionBelow decreases with s; at s = plain it is >= 1/2 (clipping only lowers g).
  let lo = plain, hi = plain;
  while (fractionBelow(hi) > 0.5 && hi < 1e4) hi *= 1.25;
  while (hi - lo > 1e-4 * hi) {
    const mid = (lo + hi) / 2;
    if (fractionBelow(mid) > 0.5) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** k-th smallest value (0-based) of `a`, reordering it (Hoare's quickselect). */
function kthSmallest(a: Float32Array, k: number): number {
  let lo = 0, hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const pdf = (x: number): number => Math.exp(-0.5 * x * x) / SQRT_2PI;
const cdf = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2));

/** Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

/** Mean of clip(mu + s Z, 0, 255). */
function censoredMean(mu: number, s: number): number {
  const a = (0 - mu) / s, b = (255 - mu) / s;
  return 255 * (1 - cdf(b)) + mu * (cdf(b) - cdf(a)) + s * (pdf(a) - pdf(b));
}

/** Standard deviation of clip(mu + s Z, 0, 255). */
function censoredStd(mu: number, s: number): number {
  const a = (0 - mu) / s, b = (255 - mu) / s;
  const pa = pdf(a), pb = pdf(b), ca = cdf(a), cb = cdf(b);
  const mean = 255 * (1 - cb) + mu * (cb - ca) + s * (pa - pb);
  const second = 255 * 255 * (1 - cb) + (mu * mu + s * s) * (cb - ca) + 2 * mu * s * (pa - pb) + s * s * (a * pa - b * pb);
  return Math.sqrt(Math.max(0, second - mean * mean));
}

/**
 * For each observed mean v = 0..255, the mu whose censored mean (clip at 0 and 255, std s) is v:
 * the censored mean is increasing in mu, so it is tabulated on a grid and inverted by walking.
 */
function censoredMeanInverseTable(s: number): Float64Array {
  const out = new Float64Array(256);
  const lo = -4 * s, hi = 255 + 4 * s, steps = 512;
  let prevMu = lo, prevMean = censoredMean(lo, s);
  let v = 0;
  for (let i = 1; i <= steps && v < 256; i++) {
    const mu = lo + ((hi - lo) * i) / steps;
    const mean = censoredMean(mu, s);
    while (v < 256 && v <= mean) {
      out[v] = mean > prevMean ? prevMu + ((mu - prevMu) * (v - prevMean)) / (mean - prevMean) : mu;
      v++;
    }
    prevMu = mu;
    prevMean = mean;
  }
  for (; v < 256; v++) out[v] = hi;
  return out;
}

/** Images too small for one block: the plain MAD rule over every interior residual. */
function tinySigma(crops: NoisePlane[]): number {
  const abs: number[] = [];
  for (const { width: W, height: H, data: d } of crops) {
    for (let y = 1; y < H - 1; y++) {
      for (let x = 1; x < W - 1; x++) {
        const i = y * W + x, u = i - W, b = i + W;
        abs.push(Math.abs(d[u - 1]! - 2 * d[u]! + d[u + 1]! - 2 * d[i - 1]! + 4 * d[i]! - 2 * d[i + 1]! + d[b - 1]! - 2 * d[b]! + d[b + 1]!));
      }
    }
  }
  return abs.length === 0 ? 0 : median(abs) / MAD / 6;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

