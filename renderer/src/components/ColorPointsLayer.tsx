// Colour points drawn over the photo: an SVG in the viewer's transformed layer whose user space is
// the original photo's pixels (viewBox = width x height), so a click maps to the pixel under the
// cursor whatever the zoom (lib/colorPoints pointerToPixel, as MaskLayer maps strokes). With the
// points tool active: click adds a point, click on a point selects it, dragging moves it. A point
// is a disc of its colour with a contrasting ring, a constant size on screen.
import { useRef, useState } from 'react';
import { contrastColor, pointerToPixel, type Points } from '../lib/colorPoints';

/** Radius of a point's disc on screen, in CSS pixels. */
const RADIUS_PX = 7;

interface Props {
  width: number;
  height: number;
  points: Points;
  selectedId: number | null;
  /** Viewer zoom (screen pixels per image pixel), to keep the discs a constant size on screen. */
  scale: number;
  interactive: boolean;
  onAdd(x: number, y: number): void;
  onSelect(id: number): void;
  onMove(id: number, x: number, y: number): void;
}

export function ColorPointsLayer({ width, height, points, selectedId, scale, interactive, onAdd, onSelect, onMove }: Props) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ id: number; x: number; y: number } | null>(null);
  /** One screen pixel in image pixels. */
  const px = 1 / Math.max(scale, 1e-6);
  const r = RADIUS_PX * px;

  const pixelOf = (e: React.PointerEvent): { x: number; y: number } | null => {
    const box = svg.current?.getBoundingClientRect();
    return box ? pointerToPixel(e.clientX, e.clientY, box, width, height) : null;
  };

  return (
    <svg
      ref={svg}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      aria-label="Colour points"
      data-testid="color-points"
      style={{
        position: 'absolute',
        inset: 0,
        width: '100%',
        height: '100%',
        overflow: 'visible',
        pointerEvents: interactive ? 'auto' : 'none',
        cursor: interactive ? 'crosshair' : 'default',
        touchAction: 'none',
      }}
      onPointerDown={(e) => {
        if (!interactive || e.button !== 0) return;
        e.stopPropagation();
        const at = pixelOf(e);
        if (at) onAdd(at.x, at.y);
      }}
    >
      {points.map((p) => {
        const at = drag?.id === p.id ? drag : p;
        const ring = contrastColor(p.color);
        const selected = p.id === selectedId;
        const [cx, cy] = [at.x + 0.5, at.y + 0.5];
        return (
          <g
            key={p.id}
            data-testid="color-point"
            data-x={at.x}
            data-y={at.y}
            data-color={p.color}
            data-selected={selected ? 'true' : undefined}
            aria-label={`Colour point ${p.color} at ${at.x}, ${at.y}`}
            style={{ cursor: interactive ? (drag ? 'grabbing' : 'grab') : 'default' }}
            onPointerDown={(e) => {
              if (!interactive || e.button !== 0) return;
              e.stopPropagation();
              e.currentTarget.setPointerCapture(e.pointerId);
              onSelect(p.id);
              setDrag({ id: p.id, x: p.x, y: p.y });
            }}
            onPointerMove={(e) => {
              if (drag?.id !== p.id) return;
              const to = pixelOf(e);
              if (to && (to.x !== drag.x || to.y !== drag.y)) setDrag({ id: p.id, ...to });
            }}
            onPointerUp={() => {
              if (drag?.id === p.id && (drag.x !== p.x || drag.y !== p.y)) onMove(p.id, drag.x, drag.y);
              setDrag(null);
            }}
            onPointerCancel={() => setDrag(null)}
          >
            {selected && (
              <>
                <circle cx={cx} cy={cy} r={r + 6 * px} fill="none" stroke="#000000" strokeOpacity={0.7} strokeWidth={3.5} vectorEffect="non-scaling-stroke" />
                <circle cx={cx} cy={cy} r={r + 6 * px} fill="none" stroke="#ffffff" strokeWidth={2} strokeDasharray="5 3" vectorEffect="non-scaling-stroke" />
              </>
            )}
            {/* The fill, a ring contrasting with it, and a thin outline of the opposite tone against any background. */}
            <circle cx={cx} cy={cy} r={r + 2.75 * px} fill={ring === '#000000' ? '#ffffff' : '#000000'} fillOpacity={0.8} />
            <circle cx={cx} cy={cy} r={r + 1.75 * px} fill={ring} />
            <circle cx={cx} cy={cy} r={r} fill={p.color} />
          </g>
        );
      })}
    </svg>
  );
}
