// Colour points of guided colourization as the Restore view edits them: pure operations on an
// immutable list (add, move, recolour, remove), the pointer-to-pixel mapping that makes a point's
// coordinates pixels of the ORIGINAL photo whatever the zoom, the swatches offered next to the
// colour picker, and the preview size. No DOM here, so it is unit-tested under test/renderer.
import type { RestoreResult } from '@api/contract';
import type { ColorHint } from './chain';

export interface ColorPoint {
  /** Stable identity across edits (selection, dragging). */
  id: number;
  /** Pixel of the original photo (column, row; 0-based), as the engine's hints expect. */
  x: number;
  y: number;
  /** "#rrggbb". */
  color: string;
}
export type Points = readonly ColorPoint[];

/** Long side of the quick preview shown while points and saturation are edited. */
export const PREVIEW_MAX_SIDE = 768;
export const PREVIEW_LABEL = `Preview (${PREVIEW_MAX_SIDE} px) — Restore for full resolution`;

/** Common colours of old photographs' subjects, offered as one-click swatches. */
export const SWATCHES: ReadonlyArray<{ name: string; color: string }> = [
  { name: 'Sky blue', color: '#7fb0e0' },
  { name: 'Deep sky', color: '#3f6fb5' },
  { name: 'Foliage green', color: '#4a7a35' },
  { name: 'Grass', color: '#86a94b' },
  { name: 'Light skin', color: '#f0c8aa' },
  { name: 'Medium skin', color: '#c98c62' },
  { name: 'Dark skin', color: '#7a4a30' },
  { name: 'Lips', color: '#b4505a' },
  { name: 'Brick red', color: '#a23b2a' },
  { name: 'Wood brown', color: '#7a5030' },
  { name: 'Sand', color: '#d9c39a' },
  { name: 'Navy', color: '#24335f' },
];
export const DEFAULT_POINT_COLOR = SWATCHES[0]!.color;

const HEX = /^#[0-9a-f]{6}$/i;
export const isHexColor = (s: string): boolean => HEX.test(s);

/** Client (screen) position -> the photo's pixel under it, given the image's on-screen rectangle. */
export function pointerToPixel(
  clientX: number,
  clientY: number,
  rect: { left: number; top: number; width: number; height: number },
  width: number,
  height: number,
): { x: number; y: number } {
  const u = ((clientX - rect.left) / rect.width) * width;
  const v = ((clientY - rect.top) / rect.height) * height;
  return { x: clamp(Math.floor(u), 0, width - 1), y: clamp(Math.floor(v), 0, height - 1) };
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export function nextPointId(points: Points): number {
  return points.reduce((m, p) => Math.max(m, p.id), 0) + 1;
}

export function addPoint(points: Points, point: ColorPoint): Points {
  return [...points, point];
}

export function movePoint(points: Points, id: number, x: number, y: number): Points {
  return points.map((p) => (p.id === id ? { ...p, x, y } : p));
}

export function recolorPoint(points: Points, id: number, color: string): Points {
  return points.map((p) => (p.id === id ? { ...p, color } : p));
}

export function removePoint(points: Points, id: number): Points {
  return points.filter((p) => p.id !== id);
}

/** The points as the restore call's colour hints (input-pixel coordinates). */
export function toHints(points: Points): ColorHint[] {
  return points.map((p) => ({ x: p.x, y: p.y, color: p.color.toLowerCase() }));
}

/** Black or white, whichever stands out against `hex` (the ring drawn around a point). */
export function contrastColor(hex: string): '#000000' | '#ffffff' {
  if (!isHexColor(hex)) return '#000000';
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  return 0.299 * r + 0.587 * g + 0.114 * b > 0.55 ? '#000000' : '#ffffff';
}

/** Whether a result shows the automatic colours of the whole photo (colourized without points, not a 1:1 region): the source of the "Colours here" swatches. */
export function isAutomaticColour(r: Pick<RestoreResult, 'steps' | 'region'>): boolean {
  const c = r.steps.find((s) => s.task === 'colorize');
  return !r.region && c !== undefined && c.settings.skipped === undefined && Number(c.settings.hints ?? 0) === 0;
}
