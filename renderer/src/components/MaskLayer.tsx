// The inpainting mask drawn over the image: a canvas at the image's pixel size inside the viewer's
// transformed layer. Brush and eraser strokes are recorded as vectors (lib/strokes) and replayed,
// so undo/redo is cheap; maskPng() (also the handle's exportPng()) renders the engine's mask
// (white = fill) as PNG base64.
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { drawStrokes, type Stroke } from '../lib/strokes';

/** The engine's mask of `strokes` (white = fill) as PNG base64; needs no mounted layer. */
export function maskPng(width: number, height: number, strokes: readonly Stroke[]): Promise<string> {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  const ctx = c.getContext('2d');
  if (!ctx) return Promise.reject(new Error('Canvas 2D is unavailable.'));
  ctx.fillStyle = '#000000';
  ctx.fillRect(0, 0, width, height);
  drawStrokes(ctx, strokes, 'mask');
  return Promise.resolve(c.toDataURL('image/png').replace(/^data:image\/png;base64,/, ''));
}

export interface MaskHandle {
  exportPng(): Promise<string>;
}

interface Props {
  width: number;
  height: number;
  strokes: readonly Stroke[];
  tool: 'pan' | 'brush' | 'eraser';
  /** Brush diameter in image pixels. */
  size: number;
  onStroke(stroke: Stroke): void;
  ref?: Ref<MaskHandle>;
}

export function MaskLayer({ width, height, strokes, tool, size, onStroke, ref }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const active = useRef<Stroke | null>(null);

  const redraw = (extra?: Stroke | null): void => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    drawStrokes(ctx, extra ? [...strokes, extra] : strokes, 'overlay');
  };
  useEffect(() => redraw(active.current), [strokes, width, height]);

  useImperativeHandle(ref, () => ({ exportPng: () => maskPng(width, height, strokes) }));

  const point = (e: React.PointerEvent<HTMLCanvasElement>): [number, number] => {
    const r = e.currentTarget.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * width, ((e.clientY - r.top) / r.height) * height];
  };
  const painting = tool !== 'pan';

  return (
    <canvas
      ref={canvas}
      width={width}
      height={height}
      aria-label="Inpainting mask"
      data-testid="mask-canvas"
      style={{
        position: 'absolute',
        inset: 0,
        width: '100%',
        height: '100%',
        opacity: 0.55,
        pointerEvents: painting ? 'auto' : 'none',
        cursor: painting ? 'crosshair' : 'default',
        touchAction: 'none',
      }}
      onPointerDown={(e) => {
        if (!painting || e.button !== 0) return;
        e.stopPropagation();
        e.currentTarget.setPointerCapture(e.pointerId);
        active.current = { kind: tool, size, points: [point(e)] };
        redraw(active.current);
      }}
      onPointerMove={(e) => {
        const s = active.current;
        if (!s || s.kind === 'clear' || s.kind === 'raster') return;
        s.points.push(point(e));
        redraw(s);
      }}
      onPointerUp={() => {
        const s = active.current;
        active.current = null;
        if (s) onStroke(s);
      }}
    />
  );
}
