// The Restore view: open or drop one photo, choose the chain of steps, run it with progress and
// cancel, compare before/after (slider or side by side, synced zoom and pan), paint the inpainting
// mask (or let the damage detector find it, then edit it), place colour points for Colourize (with
// a quick downscaled preview after each edit), "Restore old photo" in one click, and export the
// result. Zoomed in, a settings change restores just the visible part at 1:1 over the "after" side
// (hooks/useRegionPreview). State lives here and in hooks/ (useRestoreRunner: runs, previews,
// export; useColorPoints: the photo's points; useDamageFinder: Find damage); drawing and controls
// live in components/. The photo, chain, points, mask, result, running restore (re-attached after a
// reload) and comparison mode start from the saved session and are reported back to it on every
// change (hooks/useSession).
import { useEffect, useMemo, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Snackbar from '@mui/material/Snackbar';
import Typography from '@mui/material/Typography';
import type { ImageInfo, MenuAction, RestoreResult, Step } from '@api/contract';
import { useApi, useApiEvents } from '../api/ApiContext';
import { useAppData } from '../hooks/useAppData';
import { useColorPoints } from '../hooks/useColorPoints';
import { useColourSuggestions } from '../hooks/useColourSuggestions';
import { useDamageFinder } from '../hooks/useDamageFinder';
import { useRegionPreview } from '../hooks/useRegionPreview';
import { useRestoreRunner } from '../hooks/useRestoreRunner';
import { useScanPrints } from '../hooks/useScanPrints';
import { useSession } from '../hooks/useSession';
import { useShortcuts } from '../hooks/useShortcuts';
import { ColorPointsLayer } from '../components/ColorPointsLayer';
import { ColorPointsPanel } from '../components/ColorPointsPanel';
import { CompareViewer, type ViewerHandle } from '../components/CompareViewer';
import { DamagePanel } from '../components/DamagePanel';
import { DropOverlay, DropZone } from '../components/DropZone';
import { ExportDialog } from '../components/ExportDialog';
import { SplitScanDialog } from '../components/SplitScanDialog';
import { MaskLayer, maskPng } from '../components/MaskLayer';
import { usePickPaths } from '../components/PathPicker';
import { RunPanel } from '../components/RunPanel';
import { StepChain } from '../components/StepChain';
import { OldPhotoPresetButton } from '../components/OldPhotoPresetButton';
import { ViewerToolbar, type Tool, type ToolEdits } from '../components/ViewerToolbar';
import { chainProblem, chainToSteps, damageThreshold, defaultChain, defaultDetector, modelsFor, oldPhotoChain, type ChainConfig } from '../lib/chain';
import { PREVIEW_LABEL, PREVIEW_MAX_SIDE, toHints } from '../lib/colorPoints';
import { REGION_CHIP, regionPaneLabel } from '../lib/regionPreview';
import { damageStroke } from '../lib/damageMask';
import { errorMessage } from '../lib/errors';
import { estimatedSigma } from '../lib/resultSummary';
import { formatBytes, formatPercent, newJobId } from '../lib/format';
import { photoIsMonochrome } from '../lib/photoPixels';
import { canRedo, canUndo, createHistory, push, redo, undo, type History } from '../lib/history';
import { hasPaint, type Stroke } from '../lib/strokes';

/** A step in the result line: its model, and what was special about the run. */
const stepLabel = (s: RestoreResult['steps'][number]): string =>
  `${s.model}${s.settings.input ? ` (picked for a ${s.settings.input} file)` : ''}${s.settings.tta ? ' (max quality)' : ''}${Number(s.settings.hints) > 0 ? ` (${s.settings.hints} point${s.settings.hints === 1 ? '' : 's'})` : ''}${
    s.task === 'inpaint' && s.settings.maskPercent !== undefined ? ` (${formatPercent(Number(s.settings.maskPercent))} filled${s.settings.mask === 'auto' ? ', found automatically' : ''})` : ''
  }`;

export function RestoreView({ active }: { active: boolean }) {
  const api = useApi();
  const pick = usePickPaths();
  const { app, models, settings } = useAppData();
  const session = useSession();
  const start = session.restored;
  const [original, setOriginal] = useState<ImageInfo | null>(start.photo);
  const [chain, setChain] = useState<ChainConfig>(() => start.state?.restore.chain ?? defaultChain());
  const [mode, setMode] = useState<'slider' | 'side'>(start.state?.restore.mode ?? 'slider');
  const [scale, setScale] = useState(1);
  const [tool, setTool] = useState<Tool>('pan');
  const [brushSize, setBrushSize] = useState(24);
  const [strokes, setStrokes] = useState<History<Stroke>>(() => createHistory<Stroke>(60));
  const [loading, setLoading] = useState(false);
  const [exporting, setExporting] = useState<ImageInfo | null>(null);
  const [splitting, setSplitting] = useState(false);
  const scanPrints = useScanPrints(original?.path ?? null);
  const printCount = scanPrints.found?.prints.length ?? 0;
  const [notice, setNotice] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  /** The open photo is black-and-white or toned (null: not measured yet). */
  const [monochrome, setMonochrome] = useState<boolean | null>(null);
  /** What "Restore old photo" switched on, shown under its button until the chain is edited. */
  const [presetNotes, setPresetNotes] = useState<string[] | null>(null);
  const viewer = useRef<ViewerHandle>(null);
  const opened = useRef<string | null>(start.photo?.path ?? null);
  const damage = useDamageFinder();

  const visible = useMemo(() => strokes.items.slice(0, strokes.index + 1), [strokes]);
  /** Moves with every mask edit and photo change: the session saves the mask only when it moved. */
  const maskEdits = useRef(0);
  const maskVersion = useMemo(() => ++maskEdits.current, [visible, original]);
  const painted = hasPaint(visible);
  const detector = modelsFor('detect-damage', models).length > 0;
  const problem = damage.job ? 'Finding damage…' : chainProblem(chain, models, painted);
  const maskTools = chain.inpaint.enabled && original !== null;
  const pointTools = chain.colorize.enabled && modelsFor('colorize', models).length > 0 && original !== null;
  // A tool whose step was turned off falls back to panning.
  const activeTool = (tool === 'points' && !pointTools) || ((tool === 'brush' || tool === 'eraser') && !maskTools) ? 'pan' : tool;

  /** The calibrated threshold of the detector the engine will use (the sensitivity scales from it). */
  const detectorThreshold = defaultDetector(models)?.threshold;
  const damageSensitivity = chain.inpaint.sensitivity ?? 'normal';
  /**
   * The steps for a chain, the painted mask saved when repairing (nothing painted: the detector's
   * mask, 'auto', when the chain asks for it); null when it cannot run.
   */
  const stepsFor = async (c: ChainConfig): Promise<Step[] | null> => {
    if (!original || damage.job || chainProblem(c, models, painted)) return null;
    const maskPath = c.inpaint.enabled && painted ? (await api.call('saveMask', { pngBase64: await maskPng(original.width, original.height, visible), photo: original.path })).path : null;
    return chainToSteps(c, maskPath, c.colorize.enabled ? toHints(points.points) : [], detectorThreshold);
  };
  const buildSteps = (): Promise<Step[] | null> => stepsFor(chain);
  const resumed = start.photo && start.state?.restore.job && start.restoreJob !== undefined ? { jobId: start.state.restore.job, info: start.restoreJob } : null;
  const runner = useRestoreRunner(original?.path ?? null, buildSteps, start.photo ? start.result : null, resumed, setNotice);
  const region = useRegionPreview(original?.path ?? null, original, buildSteps);
  const points = useColorPoints(() => {
    region.clear(); // colour edits: the downscaled whole-photo preview follows them
    runner.schedulePreview();
  }, start.photo ? (start.state?.restore.points ?? []) : []);
  const { result, job, error } = runner;
  /** The automatic colours of the open photo (its Colourize step without points, on the preview copy): the swatches' source when no such result was shown. */
  const colourSteps = chainToSteps(chain, null).filter((s) => s.task === 'colorize');
  const automaticColour = async (): Promise<RestoreResult | null> => {
    const steps = colourSteps;
    if (!original || steps.length === 0) return null;
    return api.call('restore', { jobId: newJobId('swatches'), input: original.path, steps, preview: { maxSide: PREVIEW_MAX_SIDE } });
  };
  const hereSwatches = useColourSuggestions(original, `${original?.path ?? ''}\n${JSON.stringify(colourSteps)}`, result, points.selected, automaticColour);
  const setError = runner.setError;
  const editing = job === null;

  useApiEvents((e) => {
    if (e.type === 'menu') menuActions[e.action]();
    if (e.type === 'kept-results-cleared' && result) {
      runner.reset();
      setNotice('The kept results were cleared: Restore again to see the result.');
    }
  });
  useEffect(() => {
    // A saved session's photo: measure it as an opened one is; its mask comes back as one stroke.
    const photo = start.photo;
    if (!photo) return;
    void photoIsMonochrome(photo.url).then((mono) => {
      if (opened.current === photo.path) setMonochrome(mono ?? photo.channels <= 2);
    });
    // Colour points placed after the saved result (a reload before their preview came): preview them now.
    const saved = start.state?.restore;
    const shownPoints = Number(start.result?.steps.find((s) => s.task === 'colorize')?.settings.hints ?? 0);
    if (start.result && !resumed && saved?.chain.colorize.enabled && saved.points.length !== shownPoints) runner.schedulePreview();
    if (start.mask) {
      damageStroke(start.mask, photo.width, photo.height)
        .then((stroke) => {
          if (opened.current === photo.path) setStrokes((h) => push(h, stroke));
        })
        .catch((e: unknown) => setNotice(`The saved mask could not be read: ${errorMessage(e)}`));
    }
  }, [start]);
  useEffect(() => {
    session.reportRestore(
      { photo: original?.path ?? null, chain, points: points.points.map(({ id, x, y, color }) => ({ id, x, y, color })), result: result?.image.path ?? null, mode, job: job?.id ?? null },
      { version: maskVersion, png: () => (original && hasPaint(visible) ? maskPng(original.width, original.height, visible) : Promise.resolve(null)) },
    );
    // `visible` moves with maskVersion.
  }, [session.reportRestore, original, chain, points.points, result, mode, maskVersion, job?.id]);
  // The mask shows while painting, or before there is a result to look at.
  const maskTool = activeTool === 'brush' || activeTool === 'eraser' ? activeTool : 'pan';
  const showMask = maskTools && (maskTool !== 'pan' || result === null);
  const edits: ToolEdits | null =
    activeTool === 'points'
      ? { canUndo: points.canUndo && editing, canRedo: points.canRedo && editing, onUndo: points.undo, onRedo: points.redo, onClear: points.clear, clearLabel: 'Clear points' }
      : maskTools
        ? { canUndo: canUndo(strokes), canRedo: canRedo(strokes), onUndo: () => setStrokes(undo), onRedo: () => setStrokes(redo), onClear: () => addStroke({ kind: 'clear' }), clearLabel: 'Clear mask' }
        : null;

  const openPath = async (path: string): Promise<void> => {
    setLoading(true);
    setError(null);
    try {
      const image = await api.call('openImage', { path });
      runner.reset();
      region.clear();
      damage.reset();
      setOriginal(image);
      setStrokes(createHistory<Stroke>(60));
      points.reset();
      setPresetNotes(null);
      setMonochrome(null);
      opened.current = image.path;
      // Judged from the pixels (a toned print is monochrome too); unreadable pixels: by the channel count.
      void photoIsMonochrome(image.url).then((mono) => {
        if (opened.current === image.path) setMonochrome(mono ?? image.channels <= 2);
      });
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

  const run = async (build?: () => Promise<Step[] | null>): Promise<void> => {
    region.stop();
    const made = await runner.run(build);
    if (made) region.clear(); // the whole photo replaces the 1:1 preview of a part
    if (made?.result.note) setNotice(made.result.note); // older kept results were removed to stay under the cap
    // Show the result rather than the mask; the points tool stays for more points.
    if (made && tool !== 'points') setTool('pan');
  };
  /** "Restore old photo": the preset chain (lib/chain oldPhotoChain), run at once when it can run. */
  const restoreOldPhoto = async (): Promise<void> => {
    if (!original) return;
    const mono = monochrome ?? (await photoIsMonochrome(original.url)) ?? original.channels <= 2;
    const { chain: next, notes } = oldPhotoChain(chain, models, { monochrome: mono, painted });
    setChain(next);
    setPresetNotes(notes);
    if (!chainProblem(next, models, painted)) await run(() => stepsFor(next));
  };
  const findDamage = (): void => {
    if (!original) return;
    void damage.find(original, { threshold: damageThreshold(damageSensitivity, detectorThreshold), canFindMore: damageSensitivity !== 'most' }, (stroke) => {
      addStroke(stroke);
      // Over a result the mask shows only while a mask tool is on.
      if (result && activeTool !== 'brush' && activeTool !== 'eraser') setTool('brush');
    });
  };
  /** Export what is shown; a preview is first redone at full resolution with the same steps. */
  const startExport = async (): Promise<void> => {
    // A 1:1 preview of part of the photo is never exported: the whole photo is restored first.
    const newer = region.shown !== null || region.pending;
    region.stop();
    const full = await runner.forExport(newer);
    if (full && newer) region.clear();
    if (full) setExporting(full.image);
  };
  const changeChain = (next: ChainConfig): void => {
    const recolour = next.colorize.enabled && next.colorize.saturation !== chain.colorize.saturation;
    setChain(next);
    setPresetNotes(null);
    if (recolour && original) {
      region.clear();
      runner.schedulePreview();
    } else if (original) {
      // Zoomed in on part of the photo: a 1:1 preview of that part with the new settings.
      region.schedule(() => viewer.current?.visibleRegion() ?? null);
    }
  };

  const addStroke = (s: Stroke): void => setStrokes((h) => push(h, s));
  const toggleCompare = (): void => {
    if (result) setMode((m) => (m === 'slider' ? 'side' : 'slider'));
  };
  const menuActions: Record<MenuAction, () => void> = {
    open: openDialog,
    export: () => void startExport(),
    'toggle-compare': toggleCompare,
    fit: () => viewer.current?.fit(),
    'actual-size': () => viewer.current?.oneToOne(),
  };
  useShortcuts(
    {
      'mod+o': menuActions.open,
      'mod+s': menuActions.export,
      'mod+z': () => (activeTool === 'points' ? editing && points.undo() : setStrokes(undo)),
      'mod+shift+z': () => (activeTool === 'points' ? editing && points.redo() : setStrokes(redo)),
      'mod+y': () => (activeTool === 'points' ? editing && points.redo() : setStrokes(redo)),
      delete: () => activeTool === 'points' && editing && points.removeSelected(),
      backspace: () => activeTool === 'points' && editing && points.removeSelected(),
      'mod+enter': () => void run(),
      c: toggleCompare,
      f: menuActions.fit,
      '1': menuActions['actual-size'],
      b: () => maskTools && setTool('brush'),
      e: () => maskTools && setTool('eraser'),
      p: () => pointTools && setTool('points'),
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
      {dragging && <DropOverlay />}
      <Box sx={{ flex: 1, display: 'flex', flexDirection: 'column', minWidth: 0 }}>
        {original ? (
          <>
            <ViewerToolbar
              fileName={original.name}
              onOpen={openDialog}
              onSplit={() => setSplitting(true)}
              mode={mode}
              onMode={setMode}
              hasResult={result !== null}
              scale={scale}
              onZoom={(f) => viewer.current?.zoom(f)}
              onFit={() => viewer.current?.fit()}
              onOneToOne={() => viewer.current?.oneToOne()}
              maskTools={maskTools}
              pointTools={pointTools}
              tool={activeTool}
              onTool={setTool}
              brushSize={brushSize}
              onBrushSize={setBrushSize}
              edits={edits}
            />
            <CompareViewer
              ref={viewer}
              before={original}
              after={result ? result.image : region.shown ? original : null}
              afterLabel={region.shown ? regionPaneLabel(result ? (result.preview ? 'preview' : 'after') : 'original') : result?.preview ? 'PREVIEW' : 'AFTER'}
              afterRegion={region.shown ? { ...region.shown.result.region, url: region.shown.result.image.url, label: 'PREVIEW 1:1' } : null}
              mode={mode}
              panEnabled={activeTool === 'pan'}
              onScaleChange={setScale}
              overlay={
                showMask || pointTools ? (
                  <>
                    {showMask && <MaskLayer width={original.width} height={original.height} strokes={visible} tool={maskTool} size={brushSize} onStroke={addStroke} />}
                    {pointTools && (
                      <ColorPointsLayer
                        width={original.width}
                        height={original.height}
                        points={points.points}
                        selectedId={points.selected?.id ?? null}
                        scale={scale}
                        interactive={activeTool === 'points' && editing}
                        onAdd={points.add}
                        onSelect={points.select}
                        onMove={points.move}
                      />
                    )}
                  </>
                ) : null
              }
            />
            <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', px: 1.5, py: 0.5, borderTop: 1, borderColor: 'divider', bgcolor: 'background.paper', minHeight: 34, flexShrink: 0 }}>
              <Typography variant="caption" color="text.secondary" data-testid="image-info" title={original.path} noWrap sx={{ flexShrink: 0 }}>
                {original.width} × {original.height} · {original.format.toUpperCase()} · {original.depth}-bit · {formatBytes(original.bytes)}
              </Typography>
              {printCount >= 2 && (
                <Chip size="small" color="primary" variant="outlined" data-testid="split-hint" sx={{ flexShrink: 0 }} label={`A scan of ${printCount} prints: split it…`} onClick={() => setSplitting(true)} />
              )}
              {result && (
                // One line whatever appears beside it, so the viewer above never changes height.
                <Typography variant="caption" color="text.secondary" data-testid="result-info" noWrap sx={{ minWidth: 0, flex: 1 }} title={`Result ${result.image.width} × ${result.image.height} · ${result.steps.map(stepLabel).join(' → ')}`}>
                  Result {result.image.width} × {result.image.height} · {result.steps.map(stepLabel).join(' → ')} · {result.seconds.toFixed(1)} s on {result.provider.toUpperCase()}
                </Typography>
              )}
              {(result?.preview || runner.previewing) && !region.shown && !region.pending && (
                <Chip size="small" color="warning" variant="outlined" data-testid="preview-info" sx={{ flexShrink: 0 }} label={runner.previewing ? 'Updating preview…' : PREVIEW_LABEL} />
              )}
              {(region.shown || region.pending) && (
                <Chip size="small" color="warning" variant="outlined" data-testid="region-info" sx={{ flexShrink: 0 }} label={region.pending ? 'Updating 1:1 preview of the visible area…' : REGION_CHIP} />
              )}
              {region.note && !region.shown && (
                <Typography variant="caption" color="text.secondary" data-testid="region-note" noWrap sx={{ flexShrink: 0 }}>
                  {region.note}
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
          <OldPhotoPresetButton
            label="Restore old photo"
            title="One click: repair the scratches found automatically (or your mask), reduce noise, colourize a black-and-white photo"
            disabled={!original || !editing || damage.job !== null || loading}
            onClick={() => void restoreOldPhoto()}
            notes={presetNotes}
          />
          <Typography variant="overline" color="text.secondary" component="p" sx={{ mt: 1 }}>
            Restoration steps
          </Typography>
        </Box>
        <Box sx={{ px: 2, flex: 1, overflow: 'auto' }}>
          <StepChain
            chain={chain}
            models={models}
            onChange={changeChain}
            disabled={job !== null}
            estimatedSigma={estimatedSigma(result)}
            extras={{
              inpaint: original && (
                <DamagePanel
                  detector={detector}
                  job={damage.job}
                  note={damage.note}
                  autoMask={chain.inpaint.autoMask}
                  sensitivity={damageSensitivity}
                  onSensitivity={(sensitivity) => changeChain({ ...chain, inpaint: { ...chain.inpaint, sensitivity } })}
                  disabled={!editing}
                  onFind={findDamage}
                  onCancel={damage.cancel}
                  onAutoMask={(autoMask) => changeChain({ ...chain, inpaint: { ...chain.inpaint, autoMask } })}
                  onDismiss={damage.dismiss}
                />
              ),
              colorize: original && (
                <ColorPointsPanel
                  count={points.points.length}
                  color={points.color}
                  selected={points.selected !== null}
                  canUndo={points.canUndo}
                  suggestions={hereSwatches}
                  disabled={!editing}
                  onColor={points.setColor}
                  onUndo={points.undo}
                  onClear={points.clear}
                />
              ),
            }}
          />
          {chain.inpaint.enabled && original && !painted && !damage.job && (
            <Alert severity="info" variant="outlined" sx={{ mt: 1.5 }} data-testid="mask-hint">
              {chain.inpaint.autoMask && detector
                ? 'Nothing painted: Restore fills the damage the detector finds. Or paint over it with the mask brush (B).'
                : detector
                  ? 'Paint over scratches and holes with the mask brush (B), or let Find damage mark them.'
                  : 'Paint over scratches and holes with the mask brush (B).'}
            </Alert>
          )}
        </Box>
        <RunPanel
          job={job}
          result={result ?? region.shown?.result ?? null}
          error={error ?? region.error}
          hasPhoto={original !== null}
          problem={problem}
          onRun={() => void run()}
          onCancel={runner.cancel}
          onExport={() => void startExport()}
          onDismissError={() => {
            setError(null);
            region.dismissError();
          }}
        />
      </Box>
      {exporting && app && original && settings && (
        <ExportDialog
          app={app}
          original={original}
          result={exporting}
          defaults={settings.output}
          onClose={() => setExporting(null)}
          onSaved={(img) => {
            setExporting(null);
            setNotice(`Saved ${img.path}`);
          }}
        />
      )}
      {splitting && app && original && settings && (
        <SplitScanDialog
          app={app}
          scan={original}
          found={scanPrints.found}
          findError={scanPrints.error}
          defaults={settings.output}
          onClose={() => setSplitting(false)}
          onOpenPrint={(file) => {
            setSplitting(false);
            void openPath(file);
          }}
        />
      )}
      <Snackbar open={notice !== null} autoHideDuration={5000} onClose={() => setNotice(null)} message={notice} anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }} />
    </Box>
  );
}
