// Thin real content drawn into a clean patch, the negatives of the damage detector: what a scene
// holds that looks like a scratch but is not (wires, bare branches, window frames and railings,
// lines of small text). Drawn before the old-print look, in colours of the scene's kind (mostly
// dark or mid tones, tinted; light ones never a flat white), softened as a lens would, so it is
// toned, grained and blurred with the photo while damage lies on top of it; its target stays 0.
import type { Rng } from '../rng';
import { compositeTone, stroke, type Planar } from './degrade';

type Pt = [number, number];

/** Long smooth curves across the patch, sometimes a few parallel ones (power lines). */
function wires(m: Float32Array, side: number, rng: Rng): void {
  const x0 = rng.uniform(0, side), y0 = rng.uniform(0, side), angle = rng.uniform(0, Math.PI);
  const len = rng.uniform(0.6, 1.5) * side, sag = rng.uniform(-0.08, 0.08) * len, radius = rng.uniform(0.5, 1.2);
  const count = rng.next() < 0.4 ? 2 + rng.int(3) : 1, gap = rng.uniform(4, 14);
  for (let k = 0; k < count; k++) {
    const pts: Pt[] = [];
    for (let s = 0; s <= 12; s++) {
      const t = s / 12 - 0.5, off = k * gap;
      pts.push([
        x0 + t * len * Math.cos(angle) - Math.sin(angle) * (sag * (1 - 4 * t * t) + off),
        y0 + t * len * Math.sin(angle) + Math.cos(angle) * (sag * (1 - 4 * t * t) + off),
      ]);
    }
    stroke(m, side, side, pts, radius);
  }
}

/** A bare branch: a wandering limb that forks, thinner at each fork. */
function branches(m: Float32Array, side: number, rng: Rng, from: Pt = [rng.uniform(0, side), rng.uniform(0, side)], angle = rng.uniform(0, 2 * Math.PI), radius = rng.uniform(1, 2.2), depth = 0): void {
  let [x, y] = from;
  const pts: Pt[] = [[x, y]];
  for (let s = 0, n = 3 + rng.int(5); s < n; s++) {
    angle += rng.uniform(-0.5, 0.5);
    const len = rng.uniform(0.04, 0.12) * side;
    x += len * Math.cos(angle); y += len * Math.sin(angle);
    pts.push([x, y]);
    if (depth < 3 && rng.next() < 0.45) branches(m, side, rng, [x, y], angle + (rng.next() < 0.5 ? -1 : 1) * rng.uniform(0.3, 1.1), radius * 0.7, depth + 1);
  }
  stroke(m, side, side, pts, Math.max(0.5, radius));
}

/** A window frame, railing or fence: a grid of straight thin bars, slightly rotated. */
function frames(m: Float32Array, side: number, rng: Rng): void {
  const angle = rng.uniform(-0.15, 0.15), c = Math.cos(angle), s = Math.sin(angle);
  const cx = rng.uniform(0, side), cy = rng.uniform(0, side), w = rng.uniform(0.2, 0.9) * side, h = rng.uniform(0.2, 0.9) * side;
  const cols = 1 + rng.int(5), rows = rng.int(4), radius = rng.uniform(0.5, 1.5);
  const at = (u: number, v: number): Pt => [cx + u * c - v * s, cy + u * s + v * c];
  for (let i = 0; i <= cols; i++) { const u = -w / 2 + (i * w) / cols; stroke(m, side, side, [at(u, -h / 2), at(u, h / 2)], radius); }
  for (let j = 0; j <= rows; j++) { const v = rows === 0 ? -h / 2 : -h / 2 + (j * h) / rows; stroke(m, side, side, [at(-w / 2, v), at(w / 2, v)], radius); }
}

/** Lines of small glyphs made of short strokes (a sign, a caption, a page). */
function text(m: Float32Array, side: number, rng: Rng): void {
  const size = rng.uniform(5, 12), radius = Math.max(0.5, size / 12);
  let y = rng.uniform(0, side * 0.7);
  for (let line = 0, lines = 1 + rng.int(4); line < lines && y < side; line++, y += size * 1.6) {
    let x = rng.uniform(0, side * 0.3);
    for (let g = 0, glyphs = 4 + rng.int(14); g < glyphs && x < side; g++, x += size * rng.uniform(0.7, 1)) {
      if (rng.next() < 0.15) continue; // a space
      for (let k = 0, strokes = 1 + rng.int(3); k < strokes; k++) {
        const a: Pt = [x + rng.uniform(0, 0.6) * size, y + rng.uniform(0, 1) * size];
        const b: Pt = [x + rng.uniform(0, 0.6) * size, y + rng.uniform(0, 1) * size];
        stroke(m, side, side, [a, b], radius);
      }
    }
  }
}

const SHAPES = [wires, branches, frames, text];

/** Softens a 0/1 mask with a [1 2 1]/4 kernel in both directions. */
function soften(m: Float32Array, side: number): Float32Array {
  const t = new Float32Array(m.length), out = new Float32Array(m.length);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
    const i = y * side + x;
    t[i] = 0.5 * (m[i] as number) + 0.25 * ((m[x > 0 ? i - 1 : i] as number) + (m[x < side - 1 ? i + 1 : i] as number));
  }
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
    const i = y * side + x;
    out[i] = 0.5 * (t[i] as number) + 0.25 * ((t[y > 0 ? i - side : i] as number) + (t[y < side - 1 ? i + side : i] as number));
  }
  return out;
}

/** Draws 1-3 thin structures into a square patch (in place), each in one colour of the scene's kind. */
export function drawThinContent(img: Planar, rng: Rng): void {
  const side = img.w, plane = side * side;
  for (let k = 0, count = 1 + rng.int(3); k < count; k++) {
    let alpha: Float32Array = new Float32Array(plane);
    (SHAPES[rng.int(SHAPES.length)] as (m: Float32Array, side: number, rng: Rng) => void)(alpha, side, rng);
    if (rng.next() < 0.7) alpha = soften(alpha, side);
    // mostly dark to mid tones; light ones tinted and never quite white
    const base = rng.next() < 0.7 ? rng.uniform(0.02, 0.45) : rng.uniform(0.55, 0.88);
    const tint = [0, 1, 2].map(() => Math.min(1, Math.max(0, base + rng.uniform(-0.08, 0.08))));
    compositeTone(img, alpha, img.c === 1 ? base : tint, rng.uniform(0.6, 1));
  }
}
