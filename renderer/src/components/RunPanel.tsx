// The foot of the Restore view's settings panel: the last error, the Restore button (or the running
// job's progress and Cancel), why the chain cannot run, and Export… (on a preview it first restores
// at full resolution with the same steps, see useRestoreRunner).
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import AutoFixHighIcon from '@mui/icons-material/AutoFixHigh';
import SaveAltIcon from '@mui/icons-material/SaveAlt';
import type { RestoreResult } from '@api/contract';
import type { RunJob } from '../hooks/useRestoreRunner';

interface Props {
  job: RunJob | null;
  result: RestoreResult | null;
  error: string | null;
  hasPhoto: boolean;
  /** Why the chain cannot run, or null. */
  problem: string | null;
  onRun(): void;
  onCancel(): void;
  onExport(): void;
  onDismissError(): void;
}

export function RunPanel({ job, result, error, hasPhoto, problem, onRun, onCancel, onExport, onDismissError }: Props) {
  return (
    <Box sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 1.25, borderTop: 1, borderColor: 'divider' }}>
      {error && (
        <Alert severity="error" onClose={onDismissError} data-testid="restore-error">
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
          <LinearProgress variant={job.fraction === null ? 'indeterminate' : 'determinate'} value={(job.fraction ?? 0) * 100} aria-label="Restore progress" />
          <Button variant="outlined" color="inherit" onClick={onCancel}>
            Cancel
          </Button>
        </>
      ) : (
        <Button
          variant="contained"
          size="large"
          startIcon={<AutoFixHighIcon />}
          disabled={!hasPhoto || problem !== null}
          onClick={onRun}
          title={problem ?? 'Run the chain (Ctrl+Enter)'}
        >
          Restore
        </Button>
      )}
      {hasPhoto && problem && !job && (
        <Typography variant="caption" color="text.secondary" data-testid="chain-problem">
          {problem}
        </Typography>
      )}
      <Button
        variant="outlined"
        startIcon={<SaveAltIcon />}
        disabled={!result || job !== null}
        onClick={onExport}
        title={result?.preview ? 'Restores at full resolution with the same settings and colour points, then exports' : undefined}
      >
        Export…
      </Button>
      {result && !result.preview && <Chip size="small" color="success" variant="outlined" label={`Restored in ${result.seconds.toFixed(1)} s`} sx={{ alignSelf: 'center' }} />}
    </Box>
  );
}
