// Refines a print's rectangle on the full-resolution scan: the rectangle found on the small copy
// is a working pixel or so off, which tilts a print by up to half a degree. Along each side, at
// 48 places, the print's edge is the innermost strong change of gray across the side within a few
// pixels of it (a shadow or the lid's own edge lies outside the print's); a straight line through
// those edge points (least squares, outliers dropped) gives the side's direction and place. The
// print's turn is the median of the sides' directions (a side whose edge cannot be seen, such as a
// white sky against a white lid, gives none), and each side seen moves to its line; the others
// keep their place.
import type { Raster } from '../imageio/types';
import type { RotatedRect } from './geometry';
import { luma, onWhiteReader } from './pixels';

const SAMPLES = 48;
/** Least change of gray (0-255 per pixel) across a side that counts as its edge. */
const MIN_STEP = 6;
/** Fewest edge points on a side for its line to count. */
const MIN_POINTS = 16;

/** The scan's gray level (0-255, on white) at any point, bilinear between pixel centres. */
function graySampler(r: Raster): (x: number, y: number) => number {
  const read = onWhiteReader(r);
  const px = new Float64Array(3);
  const pixel = (ix: number, iy: number): number => {
    read(iy * r.width + ix, px);
    return luma(px);
  };
  return (x, y) => {
    const x0 = Math.min(r.width - 1, Math.max(0, Math.floor(x))), y0 = Math.min(r.height - 1, Math.max(0, Math.floor(y)));
    const x1 = Math.min(r.width - 1, x0 + 1), y1 = Math.min(r.height - 1, y0 + 1);
    const fx = Math.min(1, Math.max(0, x - x0)), fy = Math.min(1, Math.max(0, y - y0));
    const top = pixel(x0, y0) * (1 - fx) + pixel(x1, y0) * fx;
    const bottom = pixel(x0, y1) * (1 - fx) + pixel(x1, y1) * fx;
    return top * (1 - fy) + bottom * fy;
  };
}

/** A line through points: a point on it, its unit direction and the points' RMS distance to it. */
function fitLine(pts: Array<[number, number]>): { x: number; y: number; dx: number; dy: number; rms: number } {
  const n = pts.length;
  let mx = 0, my = 0;
  for (const [x, y] of pts) { mx += x; my += y; }
  mx /= n; my /= n;
  let sxx = 0, syy = 0, sxy = 0;
  for (const [x, y] of pts) { sxx += (x - mx) ** 2; syy += (y - my) ** 2; sxy += (x - mx) * (y - my); }
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const dx = Math.cos(theta), dy = Math.sin(theta);
  let se = 0;
  for (const [x, y] of pts) se += ((x - mx) * dy - (y - my) * dx) ** 2;
  return { x: mx, y: my, dx, dy, rms: Math.sqrt(se / n) };
}

/** The line of one side's edge points, refitted without those more than 1.5 px off the first fit. */
function sideLine(pts: Array<[number, number]>): ReturnType<typeof fitLine> | undefined {
  if (pts.length < MIN_POINTS) return undefined;
  const first = fitLine(pts);
  const kept = pts.filter(([x, y]) => Math.abs((x - first.x) * first.dy - (y - first.y) * first.dx) <= Math.max(1.5, first.rms));
  if (kept.length < MIN_POINTS) return undefined;
  const line = fitLine(kept);
  return line.rms <= 1.5 ? line : undefined;
}

/** `rect` (outer rectangle of a print, in the scan's pixels) fitted to the print's edges on `scan`. */
export function refineRect(scan: Raster, rect: RotatedRect, reach: number): RotatedRect {
  const grayAt = graySampler(scan);
  const a = (rect.angle * Math.PI) / 180;
  const u = [Math.cos(a), Math.sin(a)] as const; // along the width
  const v = [-Math.sin(a), Math.cos(a)] as const; // along the height
  // sides: outward normal, direction along it, half-length, distance of the side from the centre
  const sides = [
    { n: [-v[0], -v[1]], t: u, half: rect.width / 2, d: rect.height / 2 }, // top
    { n: [u[0], u[1]], t: v, half: rect.height / 2, d: rect.width / 2 }, // right
    { n: [v[0], v[1]], t: u, half: rect.width / 2, d: rect.height / 2 }, // bottom
    { n: [-u[0], -u[1]], t: v, half: rect.height / 2, d: rect.width / 2 }, // left
  ];
  const found = sides.map((s) => {
    const pts: Array<[number, number]> = [];
    for (let k = 0; k < SAMPLES; k++) {
      const f = (-0.8 + (1.6 * k) / (SAMPLES - 1)) * s.half;
      const bx = rect.cx + s.n[0]! * s.d + s.t[0] * f, by = rect.cy + s.n[1]! * s.d + s.t[1] * f;
      // the change of gray across the side at each place, from inside the print outwards
      const steps: number[] = [];
      for (let d = -reach; d <= reach; d += 0.5) {
        // pixel-index coordinates: centres on integers
        const before = grayAt(bx + s.n[0]! * (d - 1) - 0.5, by + s.n[1]! * (d - 1) - 0.5);
        const after = grayAt(bx + s.n[0]! * (d + 1) - 0.5, by + s.n[1]! * (d + 1) - 0.5);
        steps.push(Math.abs(after - before) / 2);
      }
      // the print's own edge is the innermost strong one: a shadow or the lid's edge lies outside it
      const best = Math.max(...steps);
      let at = 0;
      for (let j = 0; j < steps.length; j++) {
        const here = steps[j]!;
        if (here >= 0.5 * best && here >= (steps[j - 1] ?? 0) && here >= (steps[j + 1] ?? 0)) {
          let end = j; // a flat top (a sharp edge between two pixels): its middle
          while (end + 1 < steps.length && Math.abs(steps[end + 1]! - here) < 1e-6) end++;
          at = -reach + ((j + end) / 2) * 0.5;
          break;
        }
      }
      if (best >= MIN_STEP) pts.push([bx + s.n[0]! * at, by + s.n[1]! * at]);
    }
    return sideLine(pts);
  });
  // each side's direction as a turn of the print (top and bottom run along u, left and right along v)
  const turns: number[] = [];
  found.forEach((line, i) => {
    if (!line) return;
    let deg = (Math.atan2(line.dy, line.dx) * 180) / Math.PI - (i % 2 === 1 ? 90 : 0);
    deg = ((((deg - rect.angle) % 180) + 270) % 180) - 90 + rect.angle; // nearest to the coarse turn
    turns.push(deg);
  });
  if (turns.length === 0) return rect;
  turns.sort((p, q) => p - q);
  const mid = turns.length / 2;
  const angle = turns.length % 2 ? turns[Math.floor(mid)]! : (turns[mid - 1]! + turns[mid]!) / 2;
  if (Math.abs(angle - rect.angle) > 2) return rect; // not this rectangle's edges
  const b = (angle * Math.PI) / 180;
  const nu = [Math.cos(b), Math.sin(b)] as const, nv = [-Math.sin(b), Math.cos(b)] as const;
  // each side's offset from the old centre along the new axes: its line's, or where it was
  const offset = (i: number, axis: readonly [number, number], fallback: number): number => {
    const line = found[i];
    return line ? (line.x - rect.cx) * axis[0] + (line.y - rect.cy) * axis[1] : fallback;
  };
  const top = offset(0, nv, -rect.height / 2), bottom = offset(2, nv, rect.height / 2);
  const left = offset(3, nu, -rect.width / 2), right = offset(1, nu, rect.width / 2);
  if (!(right - left > rect.width * 0.9 && bottom - top > rect.height * 0.9)) return rect;
  const mu = (left + right) / 2, mv = (top + bottom) / 2;
  return { cx: rect.cx + nu[0] * mu + nv[0] * mv, cy: rect.cy + nu[1] * mu + nv[1] * mv, width: right - left, height: bottom - top, angle };
}
