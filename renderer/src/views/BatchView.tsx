// The Batch view: input files or folders and an output folder, recursion, the task chain, format,
// depth and skip-existing; start, pause/resume and cancel; overall progress with ETA; the files
// finished so far with every failure and its reason, why a file was skipped or redone, and what
// its steps did (damage found and filled, a colour photo left uncoloured); open the output folder.
// With no mask brush here, Repair fills the damage the detector finds; "Restore old photos" sets
// the old-photo chain (lib/chain oldPhotosBatchChain), Colourize for black-and-white files only. Inputs, settings and the last run start from the saved session and are
// reported back to it (hooks/useSession).
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import InputLabel from '@mui/material/InputLabel';
import LinearProgress from '@mui/material/LinearProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Select from '@mui/material/Select';
import { FormatSelect } from '../components/FormatSelect';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import CloseIcon from '@mui/icons-material/Close';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import ErrorIcon from '@mui/icons-material/Error';
import SkipNextIcon from '@mui/icons-material/SkipNext';
import FolderIcon from '@mui/icons-material/Folder';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import PauseIcon from '@mui/icons-material/Pause';
import StopIcon from '@mui/icons-material/Stop';
import type { ExportOptions } from '@api/contract';
import { useApi, useApiEvents } from '../api/ApiContext';
import { useAppData } from '../hooks/useAppData';
import { useSession } from '../hooks/useSession';
import { usePickPaths } from '../components/PathPicker';
import { useOutputCheck } from '../hooks/useOutputCheck';
import { StepChain } from '../components/StepChain';
import { OldPhotoPresetButton } from '../components/OldPhotoPresetButton';
import { batchChainProblem, batchRepairMissing, batchSteps, defaultChain, oldPhotosBatchChain, type ChainConfig } from '../lib/chain';
import { outcomeSummary, reduceBatch, rowDetail, savedBatch, startBatchView, type BatchView as BatchState } from '../lib/batchState';
import { errorMessage } from '../lib/errors';
import { baseName, formatDuration, newJobId } from '../lib/format';

export function BatchView() {
  const api = useApi();
  const pick = usePickPaths();
  const { models, settings, app } = useAppData();
  const { restored, reportBatch } = useSession();
  const saved = restored.state?.batch;
  const [inputs, setInputs] = useState<string[]>(saved?.inputs ?? []);
  const [output, setOutput] = useState(saved?.output ?? '');
  const [recursive, setRecursive] = useState(saved?.recursive ?? true);
  const [skipExisting, setSkip] = useState(saved?.skipExisting ?? true);
  const [chain, setChain] = useState<ChainConfig>(() => saved?.chain ?? defaultChain());
  const [format, setFormat] = useState<ExportOptions['format']>(saved?.format ?? 'same');
  const [depth, setDepth] = useState<8 | 16>(saved?.depth ?? settings?.output.depth ?? 8);
  const [batch, setBatch] = useState<BatchState | null>(saved?.last ?? null);
  const [error, setError] = useState<string | null>(null);
  /** What "Restore old photos" switched on, shown under its button until the chain is edited. */
  const [presetNotes, setPresetNotes] = useState<string[] | null>(null);
  const running = batch !== null && (batch.state === 'running' || batch.state === 'pausing' || batch.state === 'paused');
  const problem = batchChainProblem(chain, models);
  const outcomes = batch ? outcomeSummary(batch) : null;
  const editChain = (next: ChainConfig): void => {
    setChain(next);
    setPresetNotes(null);
  };
  const restoreOldPhotos = (): void => {
    const { chain: next, notes } = oldPhotosBatchChain(chain, models);
    setChain(next);
    setPresetNotes(notes);
  };
  /** Said before Start: an output would replace its own input. */
  const overInput = useOutputCheck(inputs, output, format);

  useApiEvents((e) => setBatch((b) => (b ? reduceBatch(b, e) : b)));
  useEffect(() => {
    reportBatch({ inputs, output, recursive, skipExisting, chain, format, depth, last: batch && savedBatch(batch) });
  }, [reportBatch, inputs, output, recursive, skipExisting, chain, format, depth, batch]);

  const addInputs = async (mode: 'images' | 'folder'): Promise<void> => {
    const paths = await pick(mode);
    if (paths) setInputs((prev) => [...prev, ...paths.filter((p) => !prev.includes(p))]);
  };
  const start = async (): Promise<void> => {
    setError(null);
    const jobId = newJobId('batch');
    setBatch(startBatchView(jobId, 0));
    try {
      const res = await api.call('startBatch', {
        jobId,
        inputs,
        output,
        recursive,
        skipExisting,
        steps: batchSteps(chain),
        options: { format, depth, quality: settings?.output.quality, keepMetadata: settings?.output.keepMetadata ?? true },
      });
      setBatch((b) => (b && b.jobId === jobId && b.total === 0 ? { ...b, total: res.total } : b));
    } catch (e) {
      setBatch(null);
      setError(errorMessage(e));
    }
  };
  const act = (call: 'pauseBatch' | 'resumeBatch' | 'cancel'): void => {
    if (batch) void api.call(call, { jobId: batch.jobId }).catch((e: unknown) => setError(errorMessage(e)));
  };

  const finished = batch ? batch.done + batch.skipped + batch.failed : 0;
  const fraction = batch && batch.total > 0 ? finished / batch.total : 0;

  return (
    <Box sx={{ flex: 1, display: 'flex', gap: 2, p: 2, minHeight: 0, minWidth: 0 }}>
      <Paper variant="outlined" sx={{ width: 380, flexShrink: 0, display: 'flex', flexDirection: 'column', minHeight: 0 }}>
        <Typography variant="h6" sx={{ px: 2, pt: 2, pb: 1 }}>
          Batch
        </Typography>
        <Box sx={{ flex: 1, overflow: 'auto', px: 2, pb: 2, display: 'flex', flexDirection: 'column', gap: 2, minHeight: 0 }}>
          <Box>
            <Typography variant="overline" color="text.secondary">
              Inputs
            </Typography>
            <Paper variant="outlined" sx={{ maxHeight: 150, overflow: 'auto', bgcolor: 'background.default' }}>
              {inputs.length === 0 ? (
                <Typography variant="body2" color="text.secondary" sx={{ p: 1.5 }}>
                  Add image files or whole folders.
                </Typography>
              ) : (
                <List dense disablePadding aria-label="Batch inputs">
                  {inputs.map((p) => (
                    <ListItem
                      key={p}
                      secondaryAction={
                        <IconButton edge="end" size="small" aria-label={`Remove ${baseName(p)}`} disabled={running} onClick={() => setInputs(inputs.filter((x) => x !== p))}>
                          <CloseIcon fontSize="small" />
                        </IconButton>
                      }
                    >
                      <ListItemText primary={baseName(p)} secondary={p} slotProps={{ secondary: { noWrap: true } }} />
                    </ListItem>
                  ))}
                </List>
              )}
            </Paper>
            <Box sx={{ display: 'flex', gap: 1, mt: 1 }}>
              <Button size="small" variant="outlined" disabled={running} onClick={() => void addInputs('folder')}>
                Add folder…
              </Button>
              <Button size="small" variant="outlined" disabled={running} onClick={() => void addInputs('images')}>
                Add files…
              </Button>
            </Box>
            <FormControlLabel sx={{ mt: 0.5 }} control={<Switch checked={recursive} disabled={running} onChange={(_, v) => setRecursive(v)} />} label="Include subfolders" />
          </Box>
          <Box>
            <Typography variant="overline" color="text.secondary">
              Output folder
            </Typography>
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
              <Typography variant="body2" noWrap sx={{ flex: 1, color: output ? 'text.primary' : 'text.secondary' }} title={output} data-testid="batch-output">
                {output || 'Not chosen'}
              </Typography>
              <Button size="small" variant="outlined" disabled={running} onClick={() => void pick('folder').then((p) => p?.[0] && setOutput(p[0]))}>
                Choose…
              </Button>
            </Box>
            {overInput && !running && (
              <Alert severity="warning" sx={{ mt: 1 }} data-testid="batch-output-problem">
                {overInput}
              </Alert>
            )}
            <FormControlLabel control={<Switch checked={skipExisting} disabled={running} onChange={(_, v) => setSkip(v)} />} label="Skip files already restored" />
          </Box>
          <Box>
            <OldPhotoPresetButton
              label="Restore old photos"
              title="Repair the damage found automatically, reduce grain, colourize the black-and-white photos (colour ones keep their colours)"
              disabled={running}
              onClick={restoreOldPhotos}
              notes={presetNotes}
            />
            <Typography variant="overline" color="text.secondary" component="p" sx={{ mt: 1 }}>
              Steps
            </Typography>
            <StepChain
              chain={chain}
              models={models}
              onChange={editChain}
              hints={{ inpaint: 'Find and fill damage automatically' }}
              unavailable={{ inpaint: batchRepairMissing(models) }}
              disabled={running}
              extras={{
                colorize: (
                  <FormControlLabel
                    control={
                      <Checkbox
                        size="small"
                        checked={chain.colorize.monochromeOnly ?? false}
                        disabled={running}
                        onChange={(_, monochromeOnly) => editChain({ ...chain, colorize: { ...chain.colorize, monochromeOnly } })}
                      />
                    }
                    label={<Typography variant="caption">Only black-and-white photos (colour ones keep their colours)</Typography>}
                    sx={{ mr: 0 }}
                  />
                ),
              }}
            />
          </Box>
          <Box sx={{ display: 'flex', gap: 1.5 }}>
            <FormatSelect<ExportOptions['format']> id="batch-format" value={format} onChange={setFormat} withSame disabled={running} fullWidth />
            <FormControl size="small" fullWidth>
              <InputLabel id="batch-depth">Bit depth</InputLabel>
              <Select labelId="batch-depth" label="Bit depth" value={depth} disabled={running} onChange={(e) => setDepth(Number(e.target.value) as 8 | 16)}>
                <MenuItem value={8}>8 bits</MenuItem>
                <MenuItem value={16}>16 bits</MenuItem>
              </Select>
            </FormControl>
          </Box>
        </Box>
        <Box sx={{ p: 2, borderTop: 1, borderColor: 'divider', display: 'flex', flexDirection: 'column', gap: 1 }}>
          {!running && (
            <Button
              variant="contained"
              size="large"
              startIcon={<PlayArrowIcon />}
              disabled={inputs.length === 0 || !output || problem !== null || overInput !== null}
              onClick={() => void start()}
              title={problem ?? undefined}
            >
              Start batch
            </Button>
          )}
          {problem && (
            <Typography variant="caption" color="text.secondary">
              {problem}
            </Typography>
          )}
          {running && (
            <Typography variant="body2" color="text.secondary" sx={{ textAlign: 'center' }}>
              Settings are locked while the batch runs.
            </Typography>
          )}
        </Box>
      </Paper>

      <Paper variant="outlined" sx={{ flex: 1, minWidth: 0, p: 2, display: 'flex', flexDirection: 'column', gap: 1.5, minHeight: 0 }}>
        {error && <Alert severity="error" onClose={() => setError(null)}>{error}</Alert>}
        {!batch ? (
          <Box sx={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center', flexDirection: 'column', gap: 1, color: 'text.secondary', textAlign: 'center' }}>
            <FolderIcon sx={{ fontSize: 56, opacity: 0.5 }} />
            <Typography variant="h6" color="text.primary">
              Restore a whole folder
            </Typography>
            <Typography sx={{ maxWidth: 420 }}>
              Folder structure is mirrored, originals are never touched, metadata is kept, and finished files are skipped when you run the batch again.
            </Typography>
          </Box>
        ) : (
          <>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
              <Typography variant="h6" sx={{ flex: 1 }} data-testid="batch-status">
                {batch.state === 'running' && `Restoring ${finished} of ${batch.total}`}
                {batch.state === 'pausing' && `Pausing after the current file (${finished} of ${batch.total})`}
                {batch.state === 'paused' && `Paused at ${finished} of ${batch.total}`}
                {batch.state === 'finished' && `Finished ${batch.total} files`}
                {batch.state === 'cancelled' && `Cancelled after ${finished} of ${batch.total}`}
                {batch.state === 'interrupted' && `Stopped at ${finished} of ${batch.total} when the app closed: start again to finish (finished files are skipped)`}
              </Typography>
              {running && (
                <>
                  {batch.state === 'running' ? (
                    <Button variant="outlined" startIcon={<PauseIcon />} onClick={() => act('pauseBatch')}>
                      Pause
                    </Button>
                  ) : (
                    <Button variant="outlined" startIcon={<PlayArrowIcon />} onClick={() => act('resumeBatch')}>
                      Resume
                    </Button>
                  )}
                  <Button variant="outlined" color="error" startIcon={<StopIcon />} onClick={() => act('cancel')}>
                    Cancel
                  </Button>
                </>
              )}
              {!running && output && (
                <Button
                  variant="outlined"
                  startIcon={<FolderIcon />}
                  onClick={() => void (app?.shell === 'electron' ? api.call('revealPath', { path: output }) : pick('browse', 'Output folder', output))}
                >
                  {app?.shell === 'electron' ? 'Open output folder' : 'Browse output folder'}
                </Button>
              )}
            </Box>
            <LinearProgress variant={batch.total === 0 && running ? 'indeterminate' : 'determinate'} value={fraction * 100} aria-label="Batch progress" sx={{ height: 8, borderRadius: 4 }} />
            <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
              <Chip size="small" color="success" variant="outlined" icon={<CheckCircleIcon />} label={`${batch.done} done`} data-testid="batch-done" />
              <Chip size="small" variant="outlined" icon={<SkipNextIcon />} label={`${batch.skipped} skipped`} data-testid="batch-skipped" />
              <Chip size="small" color={batch.failed ? 'error' : 'default'} variant="outlined" icon={<ErrorIcon />} label={`${batch.failed} failed`} data-testid="batch-failed" />
              <Box sx={{ flex: 1 }} />
              <Typography variant="body2" color="text.secondary">
                {running ? `Time left ${formatDuration(batch.etaSeconds)}` : batch.seconds !== undefined ? `Took ${formatDuration(batch.seconds)}` : ''}
              </Typography>
            </Box>
            {outcomes && (
              <Typography variant="body2" color="text.secondary" data-testid="batch-outcomes">
                {outcomes}
              </Typography>
            )}
            {batch.current && running && (
              <Typography variant="caption" color="text.secondary" noWrap>
                Now: {batch.current}
              </Typography>
            )}
            <List dense sx={{ flex: 1, overflow: 'auto', minHeight: 0 }} aria-label="Batch results" data-testid="batch-results">
              {batch.rows.map((r, i) => (
                <ListItem key={`${r.input}-${i}`} data-status={r.status}>
                  <ListItemIcon sx={{ minWidth: 32 }}>
                    {r.status === 'done' ? <CheckCircleIcon color="success" fontSize="small" /> : r.status === 'failed' ? <ErrorIcon color="error" fontSize="small" /> : <SkipNextIcon fontSize="small" />}
                  </ListItemIcon>
                  <ListItemText
                    primary={baseName(r.input)}
                    secondary={rowDetail(r)}
                    slotProps={{ secondary: { color: r.status === 'failed' ? 'error' : 'text.secondary', noWrap: r.status !== 'failed' } }}
                  />
                </ListItem>
              ))}
            </List>
          </>
        )}
      </Paper>
    </Box>
  );
}
