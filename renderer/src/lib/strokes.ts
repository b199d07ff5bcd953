// Mask strokes as vectors (brush or eraser polylines with a size, or a clear marker): undo/redo
// stores strokes, not bitmaps, so history costs bytes even on 40-megapixel scans. The one bitmap
// stroke is the damage detector's mask ("Find damage"): drawn once into two layers of the photo's
// size (lib/damageMask), it sits in the history like a stroke, so the brush and eraser edit it and
// undo removes it. Replaying the visible strokes draws the on-screen overlay and the exported mask
// (white = fill, black = keep).
/** A photo-sized layer a DrawTarget can draw (a canvas in the browser; kept opaque for the pure tests). */
export type LayerImage = object;

export type Stroke =
  | { kind: 'brush' | 'eraser'; size: number; points: Array<[number, number]> }
  | { kind: 'clear' }
  | {
      kind: 'raster';
      /** The marked pixels in the overlay colour, the rest transparent (photo-sized). */
      overlay: LayerImage;
      /** The marked pixels white, the rest transparent (photo-sized). */
      mask: LayerImage;
      /** Share of the photo marked, percent. */
      percent: number;
    };

/** The overlay's colour (a found-damage layer is rendered in it too). */
export const MASK_COLOR = '#ff4d4f';

/** Strokes that are visible: everything after the last clear. */
export function visibleStrokes(strokes: readonly Stroke[]): Stroke[] {
  let start = 0;
  strokes.forEach((s, i) => {
    if (s.kind === 'clear') start = i + 1;
  });
  return strokes.slice(start);
}

/** True when some brush stroke or found damage remains visible (the mask may still be erased to nothing). */
export function hasPaint(strokes: readonly Stroke[]): boolean {
  return visibleStrokes(strokes).some((s) => s.kind === 'brush' || (s.kind === 'raster' && s.percent > 0));
}

/** Minimal 2D drawing surface (a CanvasRenderingContext2D satisfies it). */
export interface DrawTarget {
  globalCompositeOperation: string;
  strokeStyle: unknown;
  fillStyle: unknown;
  lineWidth: number;
  lineCap: string;
  lineJoin: string;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(x: number, y: number, r: number, a0: number, a1: number): void;
  stroke(): void;
  fill(): void;
  drawImage(image: LayerImage, dx: number, dy: number): void;
}

/**
 * Draw strokes. Overlay mode: brush paints `color`, eraser cuts holes (destination-out).
 * Mask mode: the caller filled black first; brush paints white and eraser paints black.
 * A raster stroke draws its pre-rendered layer (overlay: its own colour, mask: white).
 */
export function drawStrokes(ctx: DrawTarget, strokes: readonly Stroke[], mode: 'overlay' | 'mask', color = MASK_COLOR): void {
  for (const s of visibleStrokes(strokes)) {
    if (s.kind === 'clear') continue;
    if (s.kind === 'raster') {
      // Added to what is there (white on the caller's black, or the overlay colour).
      ctx.globalCompositeOperation = 'source-over';
      ctx.drawImage(mode === 'overlay' ? s.overlay : s.mask, 0, 0);
      continue;
    }
    const erase = s.kind === 'eraser';
    if (mode === 'overlay') {
      ctx.globalCompositeOperation = erase ? 'destination-out' : 'source-over';
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
    } else {
      ctx.globalCompositeOperation = 'source-over';
      ctx.strokeStyle = erase ? '#000000' : '#ffffff';
      ctx.fillStyle = erase ? '#000000' : '#ffffff';
    }
    ctx.lineWidth = s.size;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    const [first, ...rest] = s.points;
    if (!first) continue;
    if (rest.length === 0) {
      ctx.beginPath();
      ctx.arc(first[0], first[1], s.size / 2, 0, Math.PI * 2);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(first[0], first[1]);
    for (const [x, y] of rest) ctx.lineTo(x, y);
    ctx.stroke();
  }
  ctx.globalCompositeOperation = 'source-over';
}
