// Evaluation of the blind noise estimator (denoise --sigma auto, electron/engine/noiseEstimate.ts)
// for `restore eval --task noise-estimate`: the denoising protocol of shared/data/README.md (white
// Gaussian noise of sigma on the 0-255 scale, seed 0, drawn image after image in file order as
// evalDenoise does), once in float without clipping, once saved as 8-bit (clipped, rounded: the
// engine's own input path) and once as that 8-bit image saved as JPEG quality 75 (4:2:0), where the
// error is against the sigma added before compression (JPEG removes part of the noise and adds
// block artefacts of its own, so the estimate can land on either side). Per method and protocol: mean and max absolute error and bias (mean
// signed error), in sigma units. Methods: `restore` (the engine's estimator) and `immerkaer-mad`,
// the plain Immerkaer residual + MAD rule over the whole image (the estimator before weak-texture
// selection and the clipping model), as the baseline.
import path from 'node:path';
import { estimateNoiseSigma, estimateNoiseSigmaPlanes, type NoisePlane } from '../../electron/engine/noiseEstimate';
import { gaussianNoise, jpegRoundTrip } from '../data/degrade';
import { listImages } from '../data/images';
import { Rng } from '../rng';
import { loadPlanar } from './images';
import { to8bit } from './metrics';

export type NoiseProtocol = 'float-unclipped' | '8bit-clipped' | 'jpeg-q75';

/** JPEG quality of the 'jpeg-q75' protocol. */
const JPEG_QUALITY = 75;

export interface NoiseEstimateRow {
  set: string;
  method: 'restore' | 'immerkaer-mad';
  protocol: NoiseProtocol;
  sigma: number;
  images: number;
  meanAbsError: number;
  maxAbsError: number;
  /** Mean of (estimate - sigma). */
  bias: number;
}

/** Immerkaer's residual and the MAD rule over every interior pixel of each plane; the median over planes. */
export function immerkaerMadSigma(planes: NoisePlane[]): number {
  const perPlane = planes.map(({ width: W, height: H, data: d }) => {
    const abs = new Float32Array(Math.max(0, (W - 2) * (H - 2)));
    let n = 0;
    for (let y = 1; y < H - 1; y++) {
      for (let x = 1; x < W - 1; x++) {
        const i = y * W + x, u = i - W, b = i + W;
        abs[n++] = Math.abs(d[u - 1]! - 2 * d[u]! + d[u + 1]! - 2 * d[i - 1]! + 4 * d[i]! - 2 * d[i + 1]! + d[b - 1]! - 2 * d[b]! + d[b + 1]!);
      }
    }
    abs.sort();
    return n === 0 ? 0 : abs[n >> 1]! / 0.6745 / 6;
  });
  perPlane.sort((a, b) => a - b);
  return perPlane[perPlane.length >> 1]!;
}

/** Planes of a CHW image in [0, 1], on the 0-255 scale. */
function planesOf(data: Float32Array, c: number, h: number, w: number): NoisePlane[] {
  const n = h * w;
  return Array.from({ length: c }, (_, k) => ({ width: w, height: h, data: data.subarray(k * n, (k + 1) * n).map((v) => v * 255) }));
}

/** Interleaved 8-bit raster of a CHW image already on 8-bit levels (what the engine reads from a file). */
function raster8(data: Float32Array, c: number, h: number, w: number): { width: number; height: number; channels: number; data: Uint8Array } {
  const n = h * w;
  const out = new Uint8Array(n * c);
  for (let k = 0; k < c; k++) for (let i = 0; i < n; i++) out[i * c + k] = Math.round(data[k * n + i]! * 255);
  return { width: w, height: h, channels: c, data: out };
}

/** Scores both methods on every image of `setDir` at noise level `sigma`, both protocols. */
export async function evalNoiseEstimate(setDir: string, sigma: number): Promise<NoiseEstimateRow[]> {
  const files = await listImages(setDir);
  if (files.length === 0) throw new Error(`${setDir}: no images`);
  const set = path.basename(setDir);
  const rng = new Rng(0);
  const errors = new Map<string, number[]>();
  const record = (method: NoiseEstimateRow['method'], protocol: NoiseProtocol, estimate: number): void => {
    const key = `${method}\u0000${protocol}`;
    errors.set(key, [...(errors.get(key) ?? []), estimate - sigma]);
  };
  for (const f of files) {
    const clean = await loadPlanar(f);
    const noisy = gaussianNoise(clean.data, sigma / 255, rng);
    const noisy8 = to8bit(noisy);
    const floatPlanes = planesOf(noisy, clean.c, clean.h, clean.w);
    const planes8 = planesOf(noisy8, clean.c, clean.h, clean.w);
    record('restore', 'float-unclipped', estimateNoiseSigmaPlanes(floatPlanes, { clipped: false }));
    record('restore', '8bit-clipped', estimateNoiseSigma(raster8(noisy8, clean.c, clean.h, clean.w), { colorChannels: clean.c }));
    record('immerkaer-mad', 'float-unclipped', immerkaerMadSigma(floatPlanes));
    record('immerkaer-mad', '8bit-clipped', immerkaerMadSigma(planes8));
    const jpeg = (await jpegRoundTrip({ ...clean, data: noisy8 }, JPEG_QUALITY)).data;
    record('restore', 'jpeg-q75', estimateNoiseSigma(raster8(jpeg, clean.c, clean.h, clean.w), { colorChannels: clean.c }));
    record('immerkaer-mad', 'jpeg-q75', immerkaerMadSigma(planesOf(jpeg, clean.c, clean.h, clean.w)));
  }
  return [...errors.entries()].map(([key, e]) => {
    const [method, protocol] = key.split('\u0000') as [NoiseEstimateRow['method'], NoiseProtocol];
    return {
      set, method, protocol, sigma, images: e.length,
      meanAbsError: e.reduce((a, b) => a + Math.abs(b), 0) / e.length,
      maxAbsError: Math.max(...e.map(Math.abs)),
      bias: e.reduce((a, b) => a + b, 0) / e.length,
    };
  });
}
