// Pure zoom/pan arithmetic for the image viewer: a viewport maps image pixels to screen pixels
// (screen = offset + image * scale). Fit, 1:1, wheel zoom about the cursor, and panning that
// keeps part of the image on screen. No DOM here, so it is unit-tested under test/renderer.
export interface Viewport {
  scale: number;
  x: number;
  y: number;
}
export interface Size {
  width: number;
  height: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 32;

const clampScale = (s: number): number => Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));

/** Whole image visible and centred, as large as the view allows: small images are enlarged too (Fit means fit). */
export function fitViewport(image: Size, view: Size, margin = 16): Viewport {
  const scale = clampScale(Math.min((view.width - 2 * margin) / image.width, (view.height - 2 * margin) / image.height));
  return centred(image, view, scale);
}

/** One image pixel per screen pixel, centred. */
export function actualSize(image: Size, view: Size): Viewport {
  return centred(image, view, 1);
}

function centred(image: Size, view: Size, scale: number): Viewport {
  return { scale, x: (view.width - image.width * scale) / 2, y: (view.height - image.height * scale) / 2 };
}

/** Zoom by `factor` keeping the image point under (cx, cy) where it is on screen. */
export function zoomAt(v: Viewport, factor: number, cx: number, cy: number): Viewport {
  const scale = clampScale(v.scale * factor);
  const k = scale / v.scale;
  return { scale, x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k };
}

/** Move by (dx, dy) screen pixels, keeping at least `keep` pixels of the image inside the view. */
export function panBy(v: Viewport, dx: number, dy: number, image: Size, view: Size, keep = 48): Viewport {
  const w = image.width * v.scale;
  const h = image.height * v.scale;
  const x = Math.min(view.width - Math.min(keep, w), Math.max(Math.min(keep, w) - w, v.x + dx));
  const y = Math.min(view.height - Math.min(keep, h), Math.max(Math.min(keep, h) - h, v.y + dy));
  return { scale: v.scale, x, y };
}

/** Screen point -> image pixel coordinates. */
export function toImage(v: Viewport, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - v.x) / v.scale, y: (sy - v.y) / v.scale };
}

/** Wheel delta (pixels) -> zoom factor; smooth for trackpads, ~1.2 per mouse notch. */
export function wheelFactor(deltaY: number): number {
  return Math.exp(-deltaY * 0.0015);
}
