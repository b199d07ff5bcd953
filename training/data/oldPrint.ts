// Old-print looks for colour or gray planar patches, shared by the repair tasks' training data:
// faded contrast, sepia or cool toning, blur, and film grain (white, or low-pass filtered to a
// coarser correlated grain of 0.6-1.5 px) of varied strength. Scanned prints then lie inside the
// training distribution of the detector and the inpainter.
import type { Rng } from '../rng';
import { gaussianBlur, type Planar } from './degrade';

/** Unit-variance noise plane; on `correlated` a Gaussian low-pass of sigma `s` (gain restores unit variance). */
export function grainPlane(side: number, rng: Rng, correlated: boolean, s: number): Float32Array {
  let n: Float32Array = new Float32Array(side * side);
  for (let i = 0; i < n.length; i++) n[i] = rng.normal();
  if (correlated) {
    n = gaussianBlur({ c: 1, h: side, w: side, data: n }, s).data;
    const gain = 2 * Math.sqrt(Math.PI) * s;
    for (let i = 0; i < n.length; i++) n[i] = (n[i] as number) * gain;
  }
  return n;
}

/** Film grain of sd `sigma` added to every plane (the same grain: silver grains are colourless). */
export function addGrain(img: Planar, rng: Rng, sigma: number): void {
  const correlated = rng.next() < 0.6;
  const n = grainPlane(img.w, rng, correlated, rng.uniform(0.6, 1.5));
  const plane = img.h * img.w;
  for (let c = 0; c < img.c; c++) {
    for (let i = 0; i < plane; i++) img.data[c * plane + i] = Math.min(1, Math.max(0, (img.data[c * plane + i] as number) + sigma * (n[i] as number)));
  }
}

/** Replaces colour by its luma, replicated (a gray photo in a colour model). */
export function toGray(img: Planar): void {
  if (img.c !== 3) return;
  const plane = img.h * img.w, d = img.data;
  for (let i = 0; i < plane; i++) {
    const y = 0.299 * (d[i] as number) + 0.587 * (d[plane + i] as number) + 0.114 * (d[2 * plane + i] as number);
    d[i] = y; d[plane + i] = y; d[2 * plane + i] = y;
  }
}

/** An old-print look (new planes): each of fade, toning (sepia or cool, colour models), blur and grain on about half. */
export function oldPrintLook(img: Planar, rng: Rng): Planar {
  let out: Planar = { ...img, data: Float32Array.from(img.data) };
  const plane = img.h * img.w;
  if (rng.next() < 0.5) {
    const lo = rng.uniform(0, 0.15), hi = rng.uniform(0.75, 1);
    for (let i = 0; i < out.data.length; i++) out.data[i] = lo + (hi - lo) * (out.data[i] as number);
  }
  if (img.c === 3 && rng.next() < 0.5) {
    toGray(out);
    const warm = rng.next() < 0.8;
    const t = rng.uniform(0.3, 1);
    const tone = warm ? [1, 1 - 0.12 * t, 1 - 0.3 * t] : [1 - 0.08 * t, 1 - 0.02 * t, 1];
    for (let c = 0; c < 3; c++) for (let i = 0; i < plane; i++) out.data[c * plane + i] = (out.data[c * plane + i] as number) * (tone[c] as number);
  }
  if (rng.next() < 0.5) out = gaussianBlur(out, rng.uniform(0.4, 1.4));
  if (rng.next() < 0.5) addGrain(out, rng, rng.uniform(0.01, 0.06));
  return out;
}
