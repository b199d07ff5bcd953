// The Training view: fine-tune a model on the user's own photos. Setup (TrainingSetup) until a
// job exists; then its progress (TrainingProgress: live charts, preview, pause/resume/cancel) and,
// when it ends, the result card (TrainingResult: base vs fine-tuned, adopt). The job comes from
// getTraining on mount (so a reload or an app restart shows it again, interrupted ones with
// Resume) and is kept current by applying each training-* event with the main side's reducer.
import { useCallback, useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { CallArgsOf, TrainingJobInfo } from '@api/contract';
import { isTrainingEvent, reduceTraining } from '@api/trainingState';
import { useApi, useApiEvents } from '../api/ApiContext';
import { useAppData } from '../hooks/useAppData';
import { TrainingSetup } from '../components/training/TrainingSetup';
import { TrainingProgress } from '../components/training/TrainingProgress';
import { TrainingResult } from '../components/training/TrainingResult';
import { errorMessage } from '../lib/errors';

export function TrainingView() {
  const api = useApi();
  const { models, reloadModels } = useAppData();
  const [job, setJob] = useState<TrainingJobInfo | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .call('getTraining', {})
      .then((j) => setJob((cur) => cur ?? j))
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setLoaded(true));
  }, [api]);

  useApiEvents(
    useCallback((e) => {
      if (!isTrainingEvent(e)) return;
      if (e.type === 'training-state' && e.state === 'cancelled') {
        setJob((cur) => (cur && cur.jobId === e.jobId ? null : cur));
        return;
      }
      setJob((cur) => (cur ? reduceTraining(cur, e) : cur));
    }, []),
  );

  const act = async (f: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const start = async (args: CallArgsOf<'startTraining'>): Promise<void> => setJob(await api.call('startTraining', args));
  const finished = job?.state === 'finished';

  return (
    <Box sx={{ flex: 1, p: 2, overflow: 'auto', display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Box>
        <Typography variant="h6">Fine-tune on your own photos</Typography>
        <Typography variant="body2" color="text.secondary">
          Teach a model your scanner, film stock or family archive. Some photos are held out, and the new model is offered only if it does better on them than the model it started from.
        </Typography>
      </Box>
      {error && !finished && (
        <Alert severity="error" onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      {loaded && !job && <TrainingSetup models={models} onStart={start} />}
      {job && !finished && (
        <TrainingProgress
          job={job}
          busy={busy}
          onPause={() => void act(async () => setJob(await api.call('pauseTraining', { jobId: job.jobId })))}
          onResume={() => void act(async () => setJob(await api.call('resumeTraining', { jobId: job.jobId })))}
          onCancel={() => void act(async () => (await api.call('cancelTraining', { jobId: job.jobId }), setJob(null)))}
        />
      )}
      {job && finished && (
        <>
          <TrainingResult
            job={job}
            oldPrintBase={models.some((m) => m.id === job.request.base && m.oldPrint)}
            busy={busy}
            error={error}
            onAdopt={(name, makeDefault) =>
              void act(async () => {
                const m = await api.call('adoptTrainedModel', { jobId: job.jobId, name, makeDefault });
                setJob((cur) => (cur ? { ...cur, adopted: m.id } : cur));
                await reloadModels();
              })
            }
            onDiscard={() => void act(async () => (await api.call('cancelTraining', { jobId: job.jobId }), setJob(null)))}
          />
          <TrainingProgress job={job} busy readOnly onPause={() => {}} onResume={() => {}} onCancel={() => {}} />
        </>
      )}
    </Box>
  );
}
