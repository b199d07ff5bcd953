// The Restore view: open or drop one photo, choose the chain of steps, run it with progress and
// cancel, compare before/after (slider or side by side, synced zoom and pan), paint the inpainting
// mask, and export the result. State lives here; drawing and controls live in components/.
import { useMemo, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Snackbar from '@mui/material/Snackbar';
import Typography from '@mui/material/Typography';
import AutoFixHighIcon from '@mui/icons-material/AutoFixHigh';
import SaveAltIcon from '@mui/icons-material/SaveAlt';
import type { ImageInfo, MenuAction, RestoreResult } from '@api/contract';
import { useApi, useApiEvents } from '../api/ApiContext';
import { useAppData } from '../hooks/useAppData';
import { useShortcuts } from '../hooks/useShortcuts';
import { CompareViewer, type ViewerHandle } from '../components/CompareViewer';
import { DropZone } from '../components/DropZone';
import { ExportDialog } from '../components/ExportDialog';
import { MaskLayer, type MaskHandle } from '../components/MaskLayer';
import { usePickPaths } from '../components/PathPicker';
import { StepChain } from '../components/StepChain';
import { ViewerToolbar, type Tool } from '../components/ViewerToolbar';
import { CHAIN_ORDER, chainProblem, chainToSteps, defaultChain, type ChainConfig } from '../lib/chain';
import { errorMessage } from '../lib/errors';
import { formatBytes, newJobId } from '../lib/format';
import { canRedo, canUndo, createHistory, push, redo, undo, type History } from '../lib/history';
import { hasPaint, type Stroke } from '../lib/strokes';

export function RestoreView({ active }: { active: boolean }) {
  const api = useApi();
  const pick = usePickPaths();
  const { app, models, settings } = useAppData();
  const [original, setOriginal] = useState<ImageInfo | null>(null);
  const [result, setResult] = useState<RestoreResult | null>(null);
  const [chain, setChain] = useState<ChainConfig>(defaultChain);
  const [mode, setMode] = useState<'slider' | 'side'>('slider');
  const [scale, setScale] = useState(1);
  const [tool, setTool] = useState<Tool>('pan');
  const [brushSize, setBrushSize] = useState(24);
  const [strokes, setStrokes] = useState<History<Stroke>>(() => createHistory<Stroke>(60));
  /** fraction null = started, no progress reported yet (loading the model, reading the file). */
  const [job, setJob] = useState<{ id: string; fraction: number | null; step: number; steps: number } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const viewer = useRef<ViewerHandle>(null);
  const mask = useRef<MaskHandle>(null);

  const visible = useMemo(() => strokes.items.slice(0, strokes.index + 1), [strokes]);
  const painted = hasPaint(visible);
  const problem = chainProblem(chain, models, painted);
  const maskTools = chain.inpaint.enabled && original !== null;

  useApiEvents((e) => {
    if (e.type === 'restore-progress' && job && e.jobId === job.id) setJob({ ...job, fraction: e.fraction, step: e.step, steps: e.steps });
    if (e.type === 'menu') menuActions[e.action]();
  });

  const openPath = async (path: string): Promise<void> => {
    setLoading(true);
    setError(null);
    try {
      const image = await api.call('openImage', { path });
      setOriginal(image);
      setResult(null);
      setStrokes(createHistory<Stroke>(60));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  };
  const openDialog = (): void =>
    void pick('image').then((p) => {
      if (p?.[0]) return openPath(p[0]);
    });
  const openFiles = async (files: File[]): Promise<void> => {
    const file = files[0];
    if (!file) return;
    setLoading(true);
    try {
      await openPath(await api.pathForDroppedFile(file));
    } catch (e) {
      setError(errorMessage(e));
      setLoading(false);
    }
  };

  const run = async (): Promise<void> => {
    if (!original || problem) return;
    const id = newJobId('restore');
    setError(null);
    setJob({ id, fraction: null, step: 0, steps: CHAIN_ORDER.filter((t) => chain[t].enabled).length });
    try {
      const maskPath = chain.inpaint.enabled && mask.current ? (await api.call('saveMask', { pngBase64: await mask.current.exportPng() })).path : null;
      const res = await api.call('restore', { jobId: id, input: original.path, steps: chainToSteps(chain, maskPath) });
      setResult(res);
      setTool('pan');
    } catch (e) {
      const message = errorMessage(e);
      if (!/cancel/i.test(message)) setError(message);
    } finally {
      setJob(null);
    }
  };
  const cancel = (): void => {
    if (job) void api.call('cancel', { jobId: job.id });
  };

  const addStroke = (s: Stroke): void => setStrokes((h) => push(h, s));
  const toggleCompare = (): void => {
    if (result) setMode((m) => (m === 'slider' ? 'side' : 'slider'));
  };
  const menuActions: Record<MenuAction, () => void> = {
    open: openDialog,
    export: () => result && setExporting(true),
    'toggle-compare': toggleCompare,
    fit: () => viewer.current?.fit(),
    'actual-size': () => viewer.current?.oneToOne(),
  };
  useShortcuts(
    {
      'mod+o': menuActions.open,
      'mod+s': menuActions.export,
      'mod+z': () => setStrokes(undo),
      'mod+shift+z': () => setStrokes(redo),
      'mod+y': () => setStrokes(redo),
      'mod+enter': () => void run(),
      c: toggleCompare,
      f: menuActions.fit,
      '1': menuActions['actual-size'],
      b: () => maskTools && setTool('brush'),
      e: () => maskTools && setTool('eraser'),
      h: () => setTool('pan'),
    },
    active,
  );

  return (
    <Box
      sx={{ display: 'flex', flex: 1, minWidth: 0, minHeight: 0, position: 'relative' }}
      onDragOver={(e) => {
        e.preventDefault();
        if (!dragging && e.dataTransfer.types.includes('Files')) setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void openFiles(Array.from(e.dataTransfer.files));
      }}
    >
      {dragging && (
        <Box
          aria-hidden
          sx={{
            position: 'absolute',
            inset: 8,
            zIndex: 10,
            border: 3,
            borderStyle: 'dashed',
            borderColor: 'primary.main',
            borderRadius: 3,
            bgcolor: 'rgba(122,162,255,0.12)',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            pointerEvents: 'none',
          }}
        >
          <Typography variant="h6" color="primary">
            Drop to open
          </Typography>
        </Box>
      )}
      <Box sx={{ flex: 1, display: 'flex', flexDirection: 'column', minWidth: 0 }}>
        {original ? (
          <>
            <ViewerToolbar
              fileName={original.name}
              onOpen={openDialog}
              mode={mode}
              onMode={setMode}
              hasResult={result !== null}
              scale={scale}
              onZoom={(f) => viewer.current?.zoom(f)}
              onFit={() => viewer.current?.fit()}
              onOneToOne={() => viewer.current?.oneToOne()}
              maskTools={maskTools}
              tool={tool}
              onTool={setTool}
              brushSize={brushSize}
              onBrushSize={setBrushSize}
              canUndo={canUndo(strokes)}
              canRedo={canRedo(strokes)}
              onUndo={() => setStrokes(undo)}
              onRedo={() => setStrokes(redo)}
              onClear={() => addStroke({ kind: 'clear' })}
            />
            <CompareViewer
              ref={viewer}
              before={original}
              after={result ? result.image : null}
              mode={mode}
              panEnabled={!maskTools || tool === 'pan'}
              onScaleChange={setScale}
              overlay={
                // The mask shows while painting, or before there is a result to look at.
                maskTools && (tool !== 'pan' || result === null) ? (
                  <MaskLayer ref={mask} width={original.width} height={original.height} strokes={visible} tool={tool} size={brushSize} onStroke={addStroke} />
                ) : null
              }
            />
            <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', px: 1.5, py: 0.5, borderTop: 1, borderColor: 'divider', bgcolor: 'background.paper', minHeight: 30 }}>
              <Typography variant="caption" color="text.secondary" data-testid="image-info">
                {original.width} × {original.height} · {original.format.toUpperCase()} · {original.depth}-bit · {formatBytes(original.bytes)}
              </Typography>
              {result && (
                <Typography variant="caption" color="text.secondary" data-testid="result-info">
                  Result {result.image.width} × {result.image.height} · {result.steps.map((s) => `${s.model}${s.settings.tta ? ' (max quality)' : ''}`).join(' → ')} · {result.seconds.toFixed(1)} s on {result.provider.toUpperCase()}
                </Typography>
              )}
            </Box>
          </>
        ) : (
          <DropZone onOpen={openDialog} onFiles={(f) => void openFiles(f)} busy={loading} />
        )}
      </Box>
      <Box
        component="aside"
        aria-label="Restoration settings"
        sx={{ width: 300, flexShrink: 0, borderLeft: 1, borderColor: 'divider', bgcolor: 'background.paper', display: 'flex', flexDirection: 'column', minHeight: 0 }}
      >
        <Box sx={{ p: 2, pb: 1 }}>
          <Typography variant="overline" color="text.secondary">
            Restoration steps
          </Typography>
        </Box>
        <Box sx={{ px: 2, flex: 1, overflow: 'auto' }}>
          <StepChain chain={chain} models={models} onChange={setChain} disabled={job !== null} />
          {chain.inpaint.enabled && original && !painted && (
            <Alert severity="info" variant="outlined" sx={{ mt: 1.5 }}>
              Paint over scratches and holes with the mask brush (B).
            </Alert>
          )}
        </Box>
        <Box sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 1.25, borderTop: 1, borderColor: 'divider' }}>
          {error && (
            <Alert severity="error" onClose={() => setError(null)} data-testid="restore-error">
              {error}
            </Alert>
          )}
          {job ? (
            <>
              <Box sx={{ display: 'flex', justifyContent: 'space-between' }}>
                <Typography variant="body2">{job.fraction === null ? 'Starting…' : `Restoring… step ${job.step + 1} of ${job.steps}`}</Typography>
                <Typography variant="body2" color="text.secondary">
                  {job.fraction === null ? '' : `${Math.round(job.fraction * 100)}%`}
                </Typography>
              </Box>
              <LinearProgress
                variant={job.fraction === null ? 'indeterminate' : 'determinate'}
                value={(job.fraction ?? 0) * 100}
                aria-label="Restore progress"
              />
              <Button variant="outlined" color="inherit" onClick={cancel}>
                Cancel
              </Button>
            </>
          ) : (
            <Button
              variant="contained"
              size="large"
              startIcon={<AutoFixHighIcon />}
              disabled={!original || problem !== null}
              onClick={() => void run()}
              title={problem ?? 'Run the chain (Ctrl+Enter)'}
            >
              Restore
            </Button>
          )}
          {original && problem && !job && (
            <Typography variant="caption" color="text.secondary" data-testid="chain-problem">
              {problem}
            </Typography>
          )}
          <Button variant="outlined" startIcon={<SaveAltIcon />} disabled={!result || job !== null} onClick={() => setExporting(true)}>
            Export…
          </Button>
          {result && <Chip size="small" color="success" variant="outlined" label={`Restored in ${result.seconds.toFixed(1)} s`} sx={{ alignSelf: 'center' }} />}
        </Box>
      </Box>
      {exporting && app && original && result && settings && (
        <ExportDialog
          app={app}
          original={original}
          result={result.image}
          defaults={settings.output}
          onClose={() => setExporting(false)}
          onSaved={(img) => {
            setExporting(false);
            setNotice(`Saved ${img.path}`);
          }}
        />
      )}
      <Snackbar open={notice !== null} autoHideDuration={5000} onClose={() => setNotice(null)} message={notice} anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }} />
    </Box>
  );
}
