// The foot of the Restore view's settings panel: the last error, the Restore button (or the running
// job's progress and Cancel), why the chain cannot run, and Export… (on a preview it first restores
// at full resolution with the same steps, see useRestoreRunner). Under it, what the result did
// (lib/resultSummary): "Restored in 5.7 s" with the strength the engine estimated, "Nothing
// changed" when no step changed the photo, and after a cancelled run that the earlier result is
// still the one shown.
import { useEffect, useRef, useState } from 'react';
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
import { summarizeResult } from '../lib/resultSummary';
import { useAppData } from '../hooks/useAppData';

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

/** True after a run ended without a new result (cancelled, or failed): the result shown is the earlier one. */
function useEndedWithoutResult(job: RunJob | null, resultId: string | null): boolean {
  const startedWith = useRef<string | null | undefined>(undefined);
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    if (job) {
      if (startedWith.current === undefined) startedWith.current = resultId;
      setEnded(false);
    } else if (startedWith.current !== undefined) {
      setEnded(resultId !== null && resultId === startedWith.current);
      startedWith.current = undefined;
    }
  }, [job, resultId]);
  return ended;
}

export function RunPanel({ job, result, error, hasPhoto, problem, onRun, onCancel, onExport, onDismissError }: Props) {
  const earlier = useEndedWithoutResult(job, result?.jobId ?? null);
  const { models } = useAppData();
  const summary = result && !result.preview ? summarizeResult(result, (id) => models.find((m) => m.id === id)?.name ?? id) : null;
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
      {summary && !job && !(earlier && error) && (
        <Chip
          size="small"
          color={earlier ? 'default' : summary.changed ? 'success' : 'info'}
          variant="outlined"
          data-testid="result-badge"
          label={earlier ? 'Cancelled: the earlier result is shown' : summary.label}
          sx={{ alignSelf: 'center', maxWidth: '100%' }}
        />
      )}
      {summary && !job && !earlier && summary.notes.length > 0 && (
        <Typography variant="caption" color="text.secondary" data-testid="result-notes" sx={{ textAlign: 'center' }}>
          {summary.notes.join(' · ')}
        </Typography>
      )}
    </Box>
  );
}
