// The 1:1 preview of the visible area (issue 16): which part of the photo the viewer shows, in
// original pixels, and whether it is small enough to be worth restoring on its own while settings
// change (at most REGION_MAX_PIXELS and well under the whole photo; zoomed out, the whole-photo
// Restore is the preview). Colourize is left out: its colour is predicted from the whole photo,
// so a region would show colours the full run does not give (the downscaled preview covers it).
// Pure, so it is unit-tested under test/renderer.
import type { Size, Viewport } from './viewport';

export interface PhotoRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Largest visible area (original pixels) restored as a region preview. */
export const REGION_MAX_PIXELS = 2_000_000;
/** A region preview only when the visible area is at most this share of the photo. */
export const REGION_MAX_SHARE = 0.6;
export const REGION_PREVIEW_DELAY_MS = 350;
/** The "after" pane's badge while a region preview is shown: what is under it, and the outlined part. */
export function regionPaneLabel(under: 'after' | 'preview' | 'original'): string {
  return `${under.toUpperCase()} + PREVIEW 1:1 (OUTLINED)`;
}
export const REGION_CHIP = 'Preview 1:1 of the visible area — Restore runs the whole photo';

/** The photo pixels a pane shows (whole pixels, clipped to the photo), or null when none. */
export function visibleRect(vp: Viewport, pane: Size, image: Size): PhotoRect | null {
  const x0 = Math.max(0, Math.floor(-vp.x / vp.scale));
  const y0 = Math.max(0, Math.floor(-vp.y / vp.scale));
  const x1 = Math.min(image.width, Math.ceil((pane.width - vp.x) / vp.scale));
  const y1 = Math.min(image.height, Math.ceil((pane.height - vp.y) / vp.scale));
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

/** True when restoring just `rect` is a useful quick look: small, and clearly part of the photo. */
export function worthRegionPreview(rect: PhotoRect | null, image: Size): rect is PhotoRect {
  if (!rect) return false;
  const area = rect.width * rect.height;
  return area <= REGION_MAX_PIXELS && area <= REGION_MAX_SHARE * image.width * image.height;
}

/** Why a chain gets no region preview (shown to the user), or null when it can have one. */
export function regionPreviewBlocker(steps: ReadonlyArray<{ task: string }>): string | null {
  return steps.some((s) => s.task === 'colorize') ? 'No 1:1 preview with Colourize: its colour comes from the whole photo' : null;
}
