// The image viewer of the Restore view: before/after with a draggable split slider or side by side,
// both panes sharing one zoom and pan (wheel zooms about the cursor, drag pans, fit and 1:1 via the
// imperative handle). The overlay (mask, colour points) sits in the image's coordinate space: over
// the whole image in slider mode (its own layer, not clipped by the split), over both panes side by
// side (a point is placed where the colours are seen, on the "after" pane, as well as on the
// "before" one; the overlay's state lives above it, so both panes show the same). A region preview (a restored part of the photo) sits in the "after"
// layer at its place, outlined and labelled, so zoom and pan carry it along.
import { useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type ReactNode, type Ref } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { actualSize, fitViewport, panBy, wheelFactor, zoomAt, type Size, type Viewport } from '../lib/viewport';
import { visibleRect, type PhotoRect } from '../lib/regionPreview';

export interface ViewerHandle {
  fit(): void;
  oneToOne(): void;
  zoom(factor: number): void;
  /** The photo pixels the "after" pane shows now (lib/regionPreview), or null. */
  visibleRegion(): PhotoRect | null;
}

/** A restored part of the photo drawn over the "after" image at its place (a region preview). */
export interface AfterRegion extends PhotoRect {
  url: string;
  label: string;
}

interface Props {
  before: { url: string; width: number; height: number };
  after: { url: string } | null;
  mode: 'slider' | 'side';
  /** Panning with the left button is off while a mask tool is active. */
  panEnabled: boolean;
  onScaleChange?(scale: number): void;
  overlay?: ReactNode;
  /** Badge of the "after" image (e.g. PREVIEW for a downscaled quick look). */
  afterLabel?: string;
  /** Drawn over the "after" image, outlined and labelled at its place (kept through zoom and pan). */
  afterRegion?: AfterRegion | null;
  ref?: Ref<ViewerHandle>;
}

export function CompareViewer({ before, after, mode, panEnabled, onScaleChange, overlay, afterLabel = 'AFTER', afterRegion = null, ref }: Props) {
  const root = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<Size>({ width: 800, height: 600 });
  const [vp, setVp] = useState<Viewport>({ scale: 1, x: 0, y: 0 });
  const [split, setSplit] = useState(0.5);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const image: Size = { width: before.width, height: before.height };
  const side = mode === 'side' && after !== null;
  const pane: Size = side ? { width: Math.floor(view.width / 2), height: view.height } : view;

  useLayoutEffect(() => {
    const el = root.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setView({ width: el.clientWidth, height: el.clientHeight }));
    observer.observe(el);
    setView({ width: el.clientWidth, height: el.clientHeight });
    return () => observer.disconnect();
  }, []);

  /** True while the view shows the fitted image: a window resize then refits; after a zoom or pan it keeps the user's view. */
  const fitted = useRef(true);
  const fit = useCallback(() => {
    fitted.current = true;
    setVp(fitViewport(image, pane));
  }, [image.width, image.height, pane.width, pane.height]);
  const manual = (update: (v: Viewport) => Viewport): void => {
    fitted.current = false;
    setVp(update);
  };
  useEffect(fit, [before.url, side]);
  // Another photo starts with the split in the middle, not where the last one left it.
  useEffect(() => setSplit(0.5), [before.url]);
  useEffect(() => {
    if (fitted.current) fit();
  }, [view.width, view.height]);
  useEffect(() => onScaleChange?.(vp.scale), [vp.scale, onScaleChange]);

  useImperativeHandle(ref, () => ({
    fit,
    oneToOne: () => manual(() => actualSize(image, pane)),
    zoom: (factor) => manual((v) => zoomAt(v, factor, pane.width / 2, pane.height / 2)),
    visibleRegion: () => visibleRect(vp, pane, image),
  }));

  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const cx = (e.clientX - r.left) % pane.width;
      fitted.current = false;
      setVp((v) => zoomAt(v, wheelFactor(e.deltaY), cx, e.clientY - r.top));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [pane.width]);

  /**
   * The region preview in image coordinates: its picture, a dashed outline and a label that keeps its
   * screen size, in its bottom-right corner (the top corners carry the panes' badges; the slider's
   * "before" side covers the left).
   */
  const regionLayer = (r: AfterRegion) => (
    <Box data-testid="region-preview" data-region={`${r.x},${r.y},${r.width},${r.height}`} sx={{ position: 'absolute', left: r.x, top: r.y, width: r.width, height: r.height }}>
      <img src={r.url} alt="Preview of the visible area" draggable={false} style={{ width: '100%', height: '100%', display: 'block', imageRendering: vp.scale > 2 ? 'pixelated' : 'auto' }} />
      <Box sx={{ position: 'absolute', inset: 0, outline: `${2 / vp.scale}px dashed rgba(255, 196, 0, 0.95)`, outlineOffset: `${-1 / vp.scale}px`, pointerEvents: 'none' }} />
      <Typography
        variant="caption"
        data-testid="region-preview-label"
        sx={{ position: 'absolute', right: 0, bottom: 0, transformOrigin: '100% 100%', transform: `scale(${1 / vp.scale})`, whiteSpace: 'nowrap', px: 0.75, bgcolor: 'rgba(255, 196, 0, 0.95)', color: '#222', fontWeight: 700, letterSpacing: 0.4, pointerEvents: 'none' }}
      >
        {r.label}
      </Typography>
    </Box>
  );

  const layer = (url: string | null, label: string, withOverlay: boolean, region: AfterRegion | null = null) => (
    <Box
      sx={{
        pointerEvents: url ? 'auto' : 'none',
        position: 'absolute',
        left: 0,
        top: 0,
        width: image.width,
        height: image.height,
        transformOrigin: '0 0',
        transform: `translate(${vp.x}px, ${vp.y}px) scale(${vp.scale})`,
        boxShadow: url ? '0 8px 32px rgba(0,0,0,0.45)' : 'none',
      }}
    >
      {url && (
        <img
          src={url}
          alt={label}
          draggable={false}
          style={{ width: '100%', height: '100%', display: 'block', imageRendering: vp.scale > 2 ? 'pixelated' : 'auto' }}
        />
      )}
      {url && region && regionLayer(region)}
      {withOverlay && overlay}
    </Box>
  );

  const badge = (text: string, right: boolean) => (
    <Typography
      variant="caption"
      sx={{
        position: 'absolute',
        top: 12,
        [right ? 'right' : 'left']: 12,
        px: 1,
        py: 0.25,
        borderRadius: 1,
        bgcolor: 'rgba(0,0,0,0.55)',
        color: '#fff',
        pointerEvents: 'none',
        fontWeight: 600,
        letterSpacing: 0.5,
      }}
    >
      {text}
    </Typography>
  );

  const splitX = Math.round(split * view.width);
  const moveSplit = (clientX: number): void => {
    const r = root.current?.getBoundingClientRect();
    if (r) setSplit(Math.min(1, Math.max(0, (clientX - r.left) / r.width)));
  };

  return (
    <Box
      ref={root}
      data-testid="viewer"
      data-scale={vp.scale.toFixed(4)}
      data-pan={`${Math.round(vp.x)},${Math.round(vp.y)}`}
      sx={{
        position: 'relative',
        flex: 1,
        overflow: 'hidden',
        userSelect: 'none',
        cursor: panEnabled ? (drag.current ? 'grabbing' : 'grab') : 'default',
        backgroundColor: 'background.default',
        backgroundImage:
          'linear-gradient(45deg, rgba(128,128,128,0.06) 25%, transparent 25%, transparent 75%, rgba(128,128,128,0.06) 75%), linear-gradient(45deg, rgba(128,128,128,0.06) 25%, transparent 25%, transparent 75%, rgba(128,128,128,0.06) 75%)',
        backgroundSize: '24px 24px',
        backgroundPosition: '0 0, 12px 12px',
      }}
      onPointerDown={(e) => {
        if (!panEnabled && e.button === 0) return;
        drag.current = { x: e.clientX, y: e.clientY };
        e.currentTarget.setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d) return;
        const dx = e.clientX - d.x;
        const dy = e.clientY - d.y;
        drag.current = { x: e.clientX, y: e.clientY };
        manual((v) => panBy(v, dx, dy, image, pane));
      }}
      onPointerUp={() => {
        drag.current = null;
      }}
    >
      {side ? (
        <>
          <Box sx={{ position: 'absolute', left: 0, top: 0, width: pane.width, height: '100%', overflow: 'hidden' }}>
            {layer(before.url, 'Before', true)}
            {badge('BEFORE', false)}
          </Box>
          <Box
            sx={{ position: 'absolute', left: pane.width, top: 0, right: 0, height: '100%', overflow: 'hidden', borderLeft: 1, borderColor: 'divider' }}
          >
            {layer(after.url, 'After', true, afterRegion)}
            {badge(afterLabel, true)}
          </Box>
        </>
      ) : (
        <>
          <Box sx={{ position: 'absolute', inset: 0 }}>{layer(before.url, 'Before', false)}</Box>
          {after && <Box sx={{ position: 'absolute', inset: 0, clipPath: `inset(0 0 0 ${splitX}px)` }}>{layer(after.url, 'After', false, afterRegion)}</Box>}
          {overlay && <Box sx={{ position: 'absolute', inset: 0, pointerEvents: 'none' }}>{layer(null, 'Overlay', true)}</Box>}
          {after && (
            <>
              {badge('BEFORE', false)}
              {badge(afterLabel, true)}
              <Box
                role="slider"
                tabIndex={0}
                aria-label="Before and after split"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(split * 100)}
                data-testid="compare-handle"
                onPointerDown={(e) => {
                  e.stopPropagation();
                  e.currentTarget.setPointerCapture(e.pointerId);
                }}
                onPointerMove={(e) => {
                  if (e.currentTarget.hasPointerCapture(e.pointerId)) moveSplit(e.clientX);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'ArrowLeft') setSplit((s) => Math.max(0, s - 0.05));
                  if (e.key === 'ArrowRight') setSplit((s) => Math.min(1, s + 0.05));
                }}
                sx={{
                  position: 'absolute',
                  top: 0,
                  bottom: 0,
                  left: splitX - 16,
                  width: 32,
                  cursor: 'ew-resize',
                  display: 'flex',
                  justifyContent: 'center',
                  alignItems: 'center',
                  '&::before': { content: '""', position: 'absolute', top: 0, bottom: 0, width: 2, bgcolor: '#fff', boxShadow: '0 0 6px rgba(0,0,0,0.6)' },
                  '&:focus-visible': { outline: 'none', '& > div': { boxShadow: (t) => `0 0 0 3px ${t.palette.primary.main}` } },
                }}
              >
                <Box
                  sx={{
                    position: 'relative',
                    width: 30,
                    height: 30,
                    borderRadius: '50%',
                    bgcolor: '#fff',
                    color: '#222',
                    display: 'flex',
                    alignItems: 'center',
                    justifyContent: 'center',
                    fontSize: 14,
                    fontWeight: 700,
                    boxShadow: '0 2px 8px rgba(0,0,0,0.5)',
                  }}
                >
                  ‹›
                </Box>
              </Box>
            </>
          )}
        </>
      )}
    </Box>
  );
}
