// The Training view while a job runs (or is paused, interrupted or failed): state, steps per
// second and time left, Pause / Resume / Cancel (asked again when steps would be lost: Pause
// keeps them), the live loss chart, held-out PSNR per validation
// against the base model's (the line to beat), a before/after preview of one held-out photo
// refreshed at each validation, and the held-out photos.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import PauseIcon from '@mui/icons-material/Pause';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import StopIcon from '@mui/icons-material/Stop';
import type { TrainingJobInfo } from '@api/contract';
import { LineChart } from '../LineChart';
import { baseName, formatDuration } from '../../lib/format';

const STATE_LABEL: Record<TrainingJobInfo['state'], string> = {
  starting: 'Starting…',
  running: 'Training',
  pausing: 'Pausing at the next checkpoint…',
  paused: 'Paused',
  interrupted: 'Interrupted',
  finished: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * How far a run is (0-1): the steps done against those done plus those the time left holds (the
 * time left already says whether the step plan or a minute budget ends it first), else the steps
 * of the step plan; null when unknown.
 */
function doneFraction(job: TrainingJobInfo): number | null {
  if (job.stepsPerSecond && job.etaSeconds !== null) return Math.min(1, job.step / Math.max(1, job.step + job.etaSeconds * job.stepsPerSecond));
  return job.totalSteps ? Math.min(1, job.step / job.totalSteps) : null;
}

export function TrainingProgress({ job, busy, readOnly = false, onPause, onResume, onCancel }: { job: TrainingJobInfo; busy: boolean; readOnly?: boolean; onPause(): void; onResume(): void; onCancel(): void }) {
  const running = job.state === 'starting' || job.state === 'running' || job.state === 'pausing';
  const resumable = job.state === 'paused' || job.state === 'interrupted';
  const beat = job.basePsnr !== null ? { y: job.basePsnr, label: `base ${job.basePsnr.toFixed(2)} dB` } : null;
  const best = job.validations.length ? Math.max(...job.validations.map((v) => v.psnr)) : null;
  const [confirming, setConfirming] = useState(false);
  /** Cancel deletes the job: with steps done, ask first (Pause keeps them). */
  const cancel = (): void => (job.step > 0 && job.state !== 'failed' ? setConfirming(true) : onCancel());
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }} component="section" aria-label="Training progress">
      <Paper variant="outlined" sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 1 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap' }}>
          <Typography variant="h6" sx={{ mr: 1 }}>
            {job.request.name}
          </Typography>
          <Chip size="small" data-testid="training-state" label={STATE_LABEL[job.state]} color={job.state === 'failed' ? 'error' : running ? 'primary' : 'default'} />
          <Typography variant="body2" color="text.secondary">
            from {job.request.baseName} · {job.request.folders.map(baseName).join(', ')}
            {job.request.noisy ? ' · noisy photos' : ''}
          </Typography>
          <Box sx={{ flex: 1 }} />
          {running && !readOnly && (
            <Button startIcon={<PauseIcon />} onClick={onPause} disabled={busy || job.state === 'pausing'}>
              Pause
            </Button>
          )}
          {resumable && !readOnly && (
            <Button variant="contained" startIcon={<PlayArrowIcon />} onClick={onResume} disabled={busy}>
              Resume
            </Button>
          )}
          {!readOnly && (
            <Button color="error" startIcon={<StopIcon />} onClick={cancel} disabled={busy}>
              Cancel
            </Button>
          )}
          <Dialog open={confirming} onClose={() => setConfirming(false)} aria-labelledby="cancel-training-title">
            <DialogTitle id="cancel-training-title">Cancel this training?</DialogTitle>
            <DialogContent>
              <DialogContentText>
                Its {job.step} step{job.step === 1 ? '' : 's'}
                {job.lastCheckpoint !== null ? ' and checkpoint' : ''} are deleted and no model is installed.
                {running ? ' Pause instead keeps them, to resume later.' : resumable ? ' Left paused, it can be resumed later.' : ''}
              </DialogContentText>
            </DialogContent>
            <DialogActions>
              <Button autoFocus onClick={() => setConfirming(false)}>
                Keep it
              </Button>
              <Button color="error" onClick={() => (setConfirming(false), onCancel())}>
                Cancel training
              </Button>
            </DialogActions>
          </Dialog>
        </Box>
        <Typography variant="body2" data-testid="training-stats">
          Step {job.step}
          {job.totalSteps ? ` of ${'minutes' in job.request.budget ? '' : 'at most '}${job.totalSteps}` : ''}
          {job.stepsPerSecond ? ` · ${job.stepsPerSecond.toFixed(2)} steps/s` : ''}
          {running && job.etaSeconds !== null ? ` · about ${formatDuration(job.etaSeconds)} left` : ''}
          {'minutes' in job.request.budget ? ` · budget ${job.request.budget.minutes} min` : ' · until it stops improving'}
          {job.lastCheckpoint !== null ? ` · last checkpoint at step ${job.lastCheckpoint}` : ''}
          {best !== null ? ` · best held-out ${best.toFixed(2)} dB` : ''}
        </Typography>
        {running && (() => {
          const done = doneFraction(job);
          return <LinearProgress variant={done === null ? 'indeterminate' : 'determinate'} value={(done ?? 0) * 100} aria-label="Training progress bar" />;
        })()}
        {job.prepare && (
          <Typography variant="body2" color="text.secondary">
            Preparing: {job.prepare.stage} ({job.prepare.done} of {job.prepare.total})
          </Typography>
        )}
        {running && (
          <Typography variant="caption" color="text.secondary">
            Training runs in its own low-priority process: restorations keep working meanwhile, but they share the CPU with it and run slower.
          </Typography>
        )}
        {job.state === 'paused' && <Alert severity="info">Paused at step {job.lastCheckpoint ?? job.step}. Resume continues from that checkpoint, also after the app was closed.</Alert>}
        {job.state === 'interrupted' && (
          <Alert severity="warning">
            The training was interrupted (the app was closed or its process stopped). Resume continues from {job.lastCheckpoint !== null ? `step ${job.lastCheckpoint}, the last checkpoint` : 'the start'}.
          </Alert>
        )}
        {job.error && <Alert severity="error">{job.error}</Alert>}
      </Paper>

      <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 2 }}>
        <Paper variant="outlined" sx={{ p: 1.5 }}>
          <LineChart testId="loss-chart" title="Training loss" log points={job.losses.map((p) => ({ x: p.step, y: p.loss }))} format={(y) => y.toPrecision(2)} />
        </Paper>
        <Paper variant="outlined" sx={{ p: 1.5 }}>
          <LineChart testId="psnr-chart" title="Held-out PSNR (dB; higher is better)" dots baseline={beat} points={job.validations.map((v) => ({ x: v.step, y: v.psnr }))} format={(y) => y.toFixed(2)} />
        </Paper>
      </Box>

      <Paper variant="outlined" sx={{ p: 1.5 }}>
        <Typography variant="subtitle2">Held-out photo{job.preview ? ` at step ${job.preview.step}` : ''}</Typography>
        {job.preview ? (
          <Box data-testid="training-preview" data-step={job.preview.step} sx={{ mt: 1 }}>
            <Box component="img" src={job.preview.url} alt={`${baseName(job.preview.file)} at step ${job.preview.step}: your photo, base, fine-tuned so far`} sx={{ maxWidth: '100%', imageRendering: 'pixelated', borderRadius: 1, bgcolor: 'action.hover' }} />
            <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
              {baseName(job.preview.file)}: your photo (as the model sees it) · {job.request.baseName} · fine-tuned so far{job.request.noisy ? '' : ' · the clean photo'}
            </Typography>
          </Box>
        ) : (
          <Typography variant="body2" color="text.secondary">
            Shown after the first validation.
          </Typography>
        )}
      </Paper>

      {job.split && (
        <Paper variant="outlined" sx={{ p: 1.5 }}>
          <Typography variant="subtitle2">
            Learning from {job.split.train} photos; {job.split.heldOut.length} held out to check the result ({job.split.megapixels.toFixed(1)} MP in all)
          </Typography>
          <Box data-testid="held-out" sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, mt: 1 }}>
            {job.split.heldOut.map((f) => (
              <Chip key={f} size="small" variant="outlined" label={baseName(f)} title={f} />
            ))}
          </Box>
        </Paper>
      )}
    </Box>
  );
}
