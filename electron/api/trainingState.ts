// A training job as the Training view shows it, rebuilt from its event history: the main side
// persists the events (job.json) and answers getTraining with reduceTraining(history); the view
// applies each live event with the same function, so a reload or an app restart shows exactly
// what was shown before. Pure and zod-free (the renderer imports it through @api).
import type { TrainingEvent, TrainingJobInfo, TrainingRequestInfo } from './contract';

/** Loss points kept for the chart; older points are thinned (every other one) beyond this. */
export const MAX_LOSS_POINTS = 400;

export function emptyTrainingJob(jobId: string, request: TrainingRequestInfo, createdAt: string): TrainingJobInfo {
  return {
    jobId, state: 'starting', request, createdAt, losses: [], validations: [], basePsnr: null, step: 0, totalSteps: null,
    stepsPerSecond: null, etaSeconds: null, lastCheckpoint: null, split: null, prepare: null, preview: null, result: null, outcome: null, error: null, adopted: null,
  };
}

function thin(points: TrainingJobInfo['losses']): TrainingJobInfo['losses'] {
  if (points.length <= MAX_LOSS_POINTS) return points;
  // Keep the last point exact; halve the rest (a smoothed look at a long run).
  const kept = points.filter((_, i) => i % 2 === 1);
  const last = points[points.length - 1];
  if (last && kept[kept.length - 1] !== last) kept.push(last);
  return kept;
}

/** The job after one event (events of other jobs leave it unchanged). */
export function reduceTraining(job: TrainingJobInfo, e: TrainingEvent): TrainingJobInfo {
  if (e.jobId !== job.jobId) return job;
  switch (e.type) {
    case 'training-state':
      return { ...job, state: e.state, ...(e.state === 'running' ? { error: null } : {}) };
    case 'training-plan':
      return { ...job, totalSteps: e.totalSteps };
    case 'training-split':
      return { ...job, split: { train: e.train, heldOut: e.heldOut, megapixels: e.megapixels } };
    case 'training-prepare':
      return { ...job, prepare: { stage: e.stage, done: e.done, total: e.total } };
    case 'training-step': {
      // A resumed run repeats the steps after its last checkpoint: drop the points it replaces.
      const kept = job.losses.length > 0 && job.losses[job.losses.length - 1]!.step >= e.step ? job.losses.filter((p) => p.step < e.step) : job.losses;
      return {
        ...job, state: job.state === 'starting' ? 'running' : job.state, step: e.step, prepare: null, losses: thin([...kept, { step: e.step, loss: e.loss }]),
        stepsPerSecond: e.stepsPerSecond, etaSeconds: e.etaSeconds,
      };
    }
    case 'training-validation': {
      const basePsnr = e.basePsnr ?? (e.step === 0 && job.basePsnr === null ? e.psnr : job.basePsnr);
      if (e.step === 0) return { ...job, basePsnr };
      const validations = [...job.validations.filter((v) => v.step < e.step), { step: e.step, psnr: e.psnr }];
      return { ...job, basePsnr, validations };
    }
    case 'training-preview':
      return { ...job, preview: { step: e.step, file: e.file, url: e.url } };
    case 'training-checkpoint':
      return { ...job, lastCheckpoint: e.step };
    case 'training-paused':
      return { ...job, state: 'paused', lastCheckpoint: e.step, etaSeconds: null };
    case 'training-result':
      return { ...job, result: e.result };
    case 'training-done':
      return { ...job, state: 'finished', etaSeconds: null, outcome: { beat: e.beat, bestPsnr: e.bestPsnr, basePsnr: e.basePsnr, ...(e.reason ? { reason: e.reason } : {}), canAdopt: e.canAdopt } };
    case 'training-failed':
      return { ...job, state: 'failed', error: e.error, etaSeconds: null };
    case 'training-adopted':
      return { ...job, adopted: e.model };
  }
}

export function isTrainingEvent(e: { type: string }): e is TrainingEvent {
  return e.type.startsWith('training-');
}

/** States in which a job holds the one training slot (its process runs or is about to). */
export function isActive(state: TrainingJobInfo['state']): boolean {
  return state === 'starting' || state === 'running' || state === 'pausing';
}
