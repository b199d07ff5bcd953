// Old-print looks for colour or gray planar patches, shared by the repair tasks' training data:
// faded contrast, sepia or cool toning, blur, and film grain (white, or low-pass filtered to a
// coarser correlated grain of 0.6-1.5 px) of varied strength. Scanned prints then lie inside the
// training distribution of the detector and the inpainter.
import type { Rng } from '../rng';
import { gaussianBlur, type Planar } from './degrade';

/** Unit-variance noise plane of h x w; on `correlated` a Gaussian low-pass of sigma `s` (gain
 * restores unit variance). (Until 2026-12-04 it was w x w: portrait photos in the old-print
 * evaluations got NaN, saved as black, below their top w rows.) */
export function grainPlane(h: number, w: number, rng: Rng, correlated: boolean, s: number): Float32Array {
  let n: Float32Array = new Float32Array(h * w);
  for (let i = 0; i < n.length; i++) n[i] = rng.normal();
  if (correlated) {
    n = gaussianBlur({ c: 1, h, w, data: n }, s).data;
    const gain = 2 * Math.sqrt(Math.PI) * s;
    for (let i = 0; i < n.length; i++) n[i] = (n[i] as number) * gain;
  }
  return n;
}

/** Film grain of sd `sigma` added to every plane (the same grain: silver grains are colourless). */
export function addGrain(img: Planar, rng: Rng, sigma: number): void {
  const correlated = rng.next() < 0.6;
  const n = grainPlane(img.h, img.w, rng, correlated, rng.uniform(0.6, 1.5));
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

/** A printing screen of pitch `pitch` px at `angle`: a dot pattern of amplitude `amp` that is
 * strongest in the mid-tones (halftone dots vanish in solid black and paper white). */
export function addScreen(img: Planar, pitch: number, angle: number, amp: number): void {
  const plane = img.h * img.w, c = Math.cos(angle), s = Math.sin(angle), k = (2 * Math.PI) / pitch;
  for (let y = 0; y < img.h; y++) for (let x = 0; x < img.w; x++) {
    const u = x * c + y * s, v = -x * s + y * c;
    const dot = Math.cos(k * u) * Math.cos(k * v);
    for (let ch = 0; ch < img.c; ch++) {
      const i = ch * plane + y * img.w + x, t = img.data[i] as number;
      img.data[i] = Math.min(1, Math.max(0, t + amp * dot * 4 * t * (1 - t)));
    }
  }
}

/** Scales grain by the tone: film grain shows most in the mid-tones. Grain size `size` px
 * (correlated; default drawn 0.6-2 px, white on a quarter). */
export function addToneGrain(img: Planar, rng: Rng, sigma: number, size?: number): void {
  const n = size !== undefined ? grainPlane(img.h, img.w, rng, true, size) : grainPlane(img.h, img.w, rng, rng.next() < 0.75, rng.uniform(0.6, 2));
  applyToneGrain(img, n, sigma);
}

/** Adds `sigma` x the grain plane `n`, weighted by 0.4 + 2.4 t (1 - t) of the pixel's channel mean t, clipped. */
export function applyToneGrain(img: Planar, n: Float32Array, sigma: number): void {
  const plane = img.h * img.w;
  const luma = new Float32Array(plane);
  for (let ch = 0; ch < img.c; ch++) for (let i = 0; i < plane; i++) luma[i]! += (img.data[ch * plane + i] as number) / img.c;
  for (let ch = 0; ch < img.c; ch++) for (let i = 0; i < plane; i++) {
    const t = luma[i] as number, g = 0.4 + 2.4 * t * (1 - t);
    img.data[ch * plane + i] = Math.min(1, Math.max(0, (img.data[ch * plane + i] as number) + sigma * g * (n[i] as number)));
  }
}

/** An old-print restoration pair: the target is the clean patch (gray on half, sepia- or cool-
 * toned on a third of those: the model keeps the print's tone), the input that target as a scan
 * of an old print shows it: blur (most), a printing screen (a fifth), film grain of 0.6-2 px and
 * strength 0.015-0.1, stronger in the mid-tones (most), then JPEG on a third. The JPEG is left to
 * the caller (async); `jpeg` says whether and at which quality. `realGrain` (a collection's own
 * grain, --noisy fine-tunes) adds the grain on the patches that get grain, instead of drawing it. */
export function oldPrintPair(clean: Planar, rng: Rng, realGrain?: (input: Planar) => void): { input: Planar; target: Planar; jpeg: number | null } {
  const target: Planar = { ...clean, data: Float32Array.from(clean.data) };
  const plane = clean.h * clean.w;
  if (target.c === 3 && rng.next() < 0.5) {
    toGray(target);
    if (rng.next() < 0.33) {
      const t = rng.uniform(0.3, 1), warm = rng.next() < 0.8;
      const tone = warm ? [1, 1 - 0.12 * t, 1 - 0.3 * t] : [1 - 0.08 * t, 1 - 0.02 * t, 1];
      for (let ch = 0; ch < 3; ch++) for (let i = 0; i < plane; i++) target.data[ch * plane + i] = (target.data[ch * plane + i] as number) * (tone[ch] as number);
    }
  }
  let input: Planar = { ...target, data: Float32Array.from(target.data) };
  if (rng.next() < 0.7) input = gaussianBlur(input, rng.uniform(0.3, 1.3));
  if (rng.next() < 0.2) addScreen(input, rng.uniform(3, 7), rng.uniform(0, Math.PI / 2), rng.uniform(0.03, 0.15));
  if (rng.next() < 0.85) {
    if (realGrain) realGrain(input);
    else addToneGrain(input, rng, rng.uniform(0.015, 0.1));
  }
  const jpeg = rng.next() < 0.33 ? Math.round(rng.uniform(40, 92)) : null;
  return { input, target, jpeg };
}

/** The evaluation protocol of old-print restoration (fixed, seeded per image): the photo made
 * gray, blurred (sigma 0.8 px), given correlated film grain (1 px, sd 0.05, mid-tone weighted) and
 * saved as JPEG quality 75. Returns the target (gray) and the degraded input before the JPEG.
 * `parts` leaves out the blur or the grain (old_print_decomposition.ts takes the protocol apart). */
export function oldPrintProtocol(clean: Planar, rng: Rng, parts = { blur: true, grain: true }): { target: Planar; input: Planar; jpeg: number } {
  const target: Planar = { ...clean, data: Float32Array.from(clean.data) };
  toGray(target);
  const input = parts.blur ? gaussianBlur(target, 0.8) : { ...target, data: Float32Array.from(target.data) };
  if (parts.grain) addToneGrain(input, rng, 0.05, 1);
  return { target, input, jpeg: 75 };
}
