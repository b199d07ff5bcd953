// Finds the prints on a flatbed scan that holds several photos side by side, each a little
// crooked, on the lid's plain background (white or black). Works on a copy of at most 800 px a
// side (blocks of the scan averaged): the background colour is the median of a frame just inside
// the picture's edge, which must be mostly that colour all around (else the picture is one photo,
// not a scan of prints); a pixel belongs to a print when its colour is far from the lid's or when
// it lies on an edge (a print's white border against a white lid still casts an edge); the marks
// are closed (small gaps bridged), their holes filled (a white sky inside a print), and each
// region large enough becomes the rectangle of least area around its outline, fitted to the
// print's edges on the full scan (refine.ts), in the scan's own pixels, shrunk by a thin margin so
// that no background or shadow is left along the sides.
import type { Raster } from '../imageio/types';
import { convexHull, minAreaRect, type Point, type RotatedRect } from './geometry';
import { luma, onWhiteReader } from './pixels';
import { refineRect } from './refine';

export interface FindPrintsOptions {
  /** Smallest print, as a share of the scan's area (default 0.02). */
  minShare?: number;
}

/** A print found on the scan, in the scan's pixels, and how well its region fills that rectangle. */
export interface FoundPrint extends RotatedRect {
  /** Share of the rectangle covered by the print's region (1 = a clean rectangle). */
  fill: number;
}

export interface FoundPrints {
  prints: FoundPrint[];
  /** Background colour (sRGB 0-255) the prints were told apart from. */
  background: [number, number, number];
  /** Regions large enough to be a print but too far from a rectangle (fill under MIN_FILL). */
  irregular: number;
  /** False when the picture's edge is not a plain background (no lid around prints: a photo). */
  plain: boolean;
}

const WORK_SIDE = 800;
const DEFAULT_MIN_SHARE = 0.02;
/** A region filling less of its rectangle than this is not taken for a print. */
export const MIN_FILL = 0.75;
/** Share of the lid's frame, and of each of its four sides, that must be within PLAIN_LEVELS of the
 * frame's median colour: a lid is plain. */
const PLAIN_SHARE = 0.7;
const PLAIN_SIDE_SHARE = 0.5;
const PLAIN_LEVELS = 12;

/**
 * The scan made small by averaging blocks of f x f pixels (f whole, so that a working pixel covers
 * exactly [x f, (x + 1) f) of the scan), as 8-bit RGB: gray spread to three channels, alpha laid
 * on white. One pass over the scan, one row of sums at a time.
 */
function workingCopy(raster: Raster): { rgb: Uint8Array; w: number; h: number; scale: number } {
  const { width, height } = raster;
  const f = Math.max(1, Math.ceil(Math.max(width, height) / WORK_SIDE));
  const w = Math.max(1, Math.floor(width / f)), h = Math.max(1, Math.floor(height / f));
  const read = onWhiteReader(raster);
  const px = new Float64Array(3);
  const rgb = new Uint8Array(w * h * 3);
  const sums = new Float64Array(w * 3);
  for (let y = 0; y < h; y++) {
    sums.fill(0);
    for (let yy = y * f; yy < (y + 1) * f; yy++) {
      for (let x = 0; x < w; x++) {
        for (let xx = x * f; xx < (x + 1) * f; xx++) {
          read(yy * width + xx, px);
          for (let c = 0; c < 3; c++) sums[3 * x + c]! += px[c]!;
        }
      }
    }
    for (let i = 0; i < w * 3; i++) rgb[y * w * 3 + i] = Math.round(sums[i]! / (f * f));
  }
  return { rgb, w, h, scale: f };
}

function percentile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
}

/**
 * Where the lid is looked at: the pixels `inset` to `inset + width` from the picture's edge (the
 * outermost few may show the scanner's own frame or a shadow of the glass's edge), each with the
 * side it lies along (0 top, 1 right, 2 bottom, 3 left).
 */
function lidFrame(w: number, h: number, inset: number, width: number): { index: number[]; side: number[] } {
  const index: number[] = [], side: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = [y, w - 1 - x, h - 1 - y, x];
      const near = Math.min(...d);
      if (near < inset || near >= inset + width) continue;
      index.push(y * w + x);
      side.push(d.indexOf(near));
    }
  }
  return { index, side };
}

/** True when the frame is mostly the lid's colour, overall and along each side. */
function plainFrame(dist: Float32Array, frame: { index: number[]; side: number[] }): boolean {
  const plain = [0, 0, 0, 0], counts = [0, 0, 0, 0];
  frame.index.forEach((i, k) => {
    const side = frame.side[k]!;
    counts[side]!++;
    if (dist[i]! <= PLAIN_LEVELS) plain[side]!++;
  });
  const all = counts.reduce((a, b) => a + b, 0);
  return plain.reduce((a, b) => a + b, 0) >= PLAIN_SHARE * all && plain.every((n, i) => n >= PLAIN_SIDE_SHARE * counts[i]!);
}

/** Running max (dilate) or min (erode) over a (2r+1)-square, separably. */
function morph(mask: Uint8Array, w: number, h: number, r: number, dilate: boolean): Uint8Array {
  const tmp = new Uint8Array(mask.length);
  const out = new Uint8Array(mask.length);
  const hit = dilate ? 1 : 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 1 - hit;
      for (let k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++) if (mask[y * w + k] === hit) { v = hit; break; }
      tmp[y * w + x] = v;
    }
  }
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      let v = 1 - hit;
      for (let k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++) if (tmp[k * w + x] === hit) { v = hit; break; }
      out[y * w + x] = v;
    }
  }
  return out;
}

/** Marks reachable from the image border through unmarked pixels stay background; the rest is filled. */
function fillHoles(mask: Uint8Array, w: number, h: number): Uint8Array {
  const outside = new Uint8Array(mask.length);
  const stack: number[] = [];
  const push = (i: number): void => {
    if (!mask[i] && !outside[i]) {
      outside[i] = 1;
      stack.push(i);
    }
  };
  for (let x = 0; x < w; x++) { push(x); push((h - 1) * w + x); }
  for (let y = 0; y < h; y++) { push(y * w); push(y * w + w - 1); }
  while (stack.length) {
    const i = stack.pop()!;
    const x = i % w, y = (i - x) / w;
    if (x > 0) push(i - 1);
    if (x < w - 1) push(i + 1);
    if (y > 0) push(i - w);
    if (y < h - 1) push(i + w);
  }
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < out.length; i++) out[i] = outside[i] ? 0 : 1;
  return out;
}

/** Connected regions (4-neighbours) of `mask`: each region's area and its outline pixels. */
function regions(mask: Uint8Array, w: number, h: number): Array<{ area: number; outline: Point[] }> {
  const label = new Int32Array(mask.length).fill(-1);
  const out: Array<{ area: number; outline: Point[] }> = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || label[start] !== -1) continue;
    const id = out.length;
    const region = { area: 0, outline: [] as Point[] };
    const stack = [start];
    label[start] = id;
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % w, y = (i - x) / w;
      region.area++;
      let edge = false;
      for (const [nx, ny] of [[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]] as const) {
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) { edge = true; continue; }
        const j = ny * w + nx;
        if (!mask[j]) { edge = true; continue; }
        if (label[j] === -1) { label[j] = id; stack.push(j); }
      }
      // the pixel's outer corners, so that the rectangle holds the whole pixel
      if (edge) region.outline.push({ x, y }, { x: x + 1, y }, { x, y: y + 1 }, { x: x + 1, y: y + 1 });
    }
    out.push(region);
  }
  return out;
}

/** The prints on `scan`, largest regions first, in the scan's pixels. */
export function findPrints(scan: Raster, opts: FindPrintsOptions = {}): FoundPrints {
  const { rgb, w, h, scale } = workingCopy(scan);
  const frame = lidFrame(w, h, Math.round(Math.min(w, h) * 0.005), Math.max(2, Math.round(Math.min(w, h) * 0.01)));
  const ring = frame.index;
  const background: [number, number, number] = [0, 1, 2].map((c) => percentile(ring.map((i) => rgb[3 * i + c]!), 0.5)) as [number, number, number];
  const n = w * h;
  const dist = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    dist[i] = Math.max(Math.abs(rgb[3 * i]! - background[0]), Math.abs(rgb[3 * i + 1]! - background[1]), Math.abs(rgb[3 * i + 2]! - background[2]));
  }
  // a scan of prints has the lid all around (a print may touch an edge, covering part of a side);
  // a photo has no such frame: at least one of its sides is mostly picture
  if (!plainFrame(dist, frame)) return { prints: [], background, irregular: 0, plain: false };
  const gray = new Float32Array(n);
  for (let i = 0; i < n; i++) gray[i] = luma(rgb.subarray(3 * i, 3 * i + 3));
  const grad = new Float32Array(n);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const gx = gray[i - w + 1]! + 2 * gray[i + 1]! + gray[i + w + 1]! - gray[i - w - 1]! - 2 * gray[i - 1]! - gray[i + w - 1]!;
      const gy = gray[i + w - 1]! + 2 * gray[i + w]! + gray[i + w + 1]! - gray[i - w - 1]! - 2 * gray[i - w]! - gray[i - w + 1]!;
      grad[i] = Math.hypot(gx, gy) / 4;
    }
  }
  // thresholds above the lid's own texture and noise, measured on its frame
  // (over the frame's lid pixels only: a scanner's dark edge or a print touching the edge is not lid)
  const lid = ring.filter((i) => dist[i]! <= PLAIN_LEVELS);
  const colourT = Math.max(12, 2 * percentile(lid.map((i) => dist[i]!), 0.95) + 6);
  const edgeT = Math.max(10, 2 * percentile(lid.map((i) => grad[i]!), 0.9) + 4);
  let mask: Uint8Array = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = dist[i]! > colourT || grad[i]! > edgeT ? 1 : 0;
  const close = Math.max(2, Math.round(Math.max(w, h) * 0.005));
  mask = morph(morph(mask, w, h, close, true), w, h, close, false);
  mask = fillHoles(mask, w, h);
  // specks of dust and thin lines (a hair on the glass) do not join two prints
  const open = Math.max(1, Math.round(close / 2));
  mask = morph(morph(mask, w, h, open, false), w, h, open, true);

  const minArea = (opts.minShare ?? DEFAULT_MIN_SHARE) * n;
  const prints: FoundPrint[] = [];
  let irregular = 0;
  for (const region of regions(mask, w, h).sort((a, b) => b.area - a.area)) {
    if (region.area < minArea) continue;
    const r = minAreaRect(convexHull(region.outline));
    const fill = region.area / Math.max(1, r.width * r.height);
    if (fill < MIN_FILL) {
      irregular++;
      continue;
    }
    const outer: RotatedRect = { cx: r.cx * scale, cy: r.cy * scale, width: r.width * scale, height: r.height * scale, angle: r.angle };
    const fitted = refineRect(scan, outer, 2 * scale + 3);
    // trim a thin margin so that no lid or shadow is left along the sides: the outline found on
    // the small copy is a working pixel wide; a side fitted on the scan is within a pixel or two
    const inset = (fitted === outer ? 2 * scale : 1.5) + 0.004 * Math.min(fitted.width, fitted.height);
    prints.push({ ...fitted, width: Math.max(1, fitted.width - 2 * inset), height: Math.max(1, fitted.height - 2 * inset), fill });
  }
  return { prints, background, irregular, plain: true };
}
