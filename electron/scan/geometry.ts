// Plane geometry for finding prints on a scan: the convex hull of a region's outline (Andrew's
// monotone chain) and the rectangle of least area around it (rotating calipers: one side of the
// best rectangle lies on a hull edge), in image coordinates (x right, y down).

export interface Point {
  x: number;
  y: number;
}

/**
 * A rotated rectangle: centre, side lengths and the angle in degrees (-45 to 45) by which its
 * `width` side is turned from the x axis, clockwise on the screen (y points down).
 */
export interface RotatedRect {
  cx: number;
  cy: number;
  width: number;
  height: number;
  angle: number;
}

function cross(o: Point, a: Point, b: Point): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/** Convex hull of `points`, counter-clockwise in a y-up frame, without collinear points. */
export function convexHull(points: readonly Point[]): Point[] {
  const p = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (p.length < 3) return p;
  const lower: Point[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Point[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/** The rectangle of least area holding every point of `hull` (a convex polygon, >= 3 points). */
export function minAreaRect(hull: readonly Point[]): RotatedRect {
  let best: (RotatedRect & { area: number }) | undefined;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len === 0) continue;
    const ux = (b.x - a.x) / len;
    const uy = (b.y - a.y) / len;
    let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
    for (const q of hull) {
      const u = q.x * ux + q.y * uy;
      const v = -q.x * uy + q.y * ux;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (best && area >= best.area) continue;
    const mu = (minU + maxU) / 2;
    const mv = (minV + maxV) / 2;
    best = { cx: mu * ux - mv * uy, cy: mu * uy + mv * ux, width: maxU - minU, height: maxV - minV, angle: (Math.atan2(uy, ux) * 180) / Math.PI, area };
  }
  if (!best) throw new Error('minAreaRect needs a polygon with at least one edge');
  return normalised(best);
}

/** The same rectangle described with its angle in -45..45 degrees (sides swapped as needed). */
function normalised(r: RotatedRect): RotatedRect {
  let { width, height, angle } = r;
  angle = ((angle % 180) + 180) % 180; // 0..180: a rectangle looks the same turned by 180
  if (angle > 135) angle -= 180;
  else if (angle > 45) {
    angle -= 90;
    [width, height] = [height, width];
  }
  return { cx: r.cx, cy: r.cy, width, height, angle };
}

/** The four corners of `r`, clockwise on the screen from the top left of the upright print. */
export function rectCorners(r: RotatedRect): Point[] {
  const a = (r.angle * Math.PI) / 180;
  const ux = Math.cos(a), uy = Math.sin(a);
  const hw = r.width / 2, hh = r.height / 2;
  return [
    { x: r.cx - ux * hw + uy * hh, y: r.cy - uy * hw - ux * hh },
    { x: r.cx + ux * hw + uy * hh, y: r.cy + uy * hw - ux * hh },
    { x: r.cx + ux * hw - uy * hh, y: r.cy + uy * hw + ux * hh },
    { x: r.cx - ux * hw - uy * hh, y: r.cy - uy * hw + ux * hh },
  ];
}
