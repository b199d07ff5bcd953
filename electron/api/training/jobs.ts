// The Training view's calls on the main side: one fine-tuning job at a time, run by the training
// host process (host.ts, low priority) and persisted under <trainingDir>/<jobId>/ (job.json: the
// request, the host's options, the run's event history; checkpoint.ckpt; staging/ with the model a
// successful run wrote; previews/ with the held-out pictures the UI shows). After the app was
// closed or crashed, the job comes back 'interrupted' and resumes from its checkpoint (losing at
// most the steps since). Pause = checkpoint, then stop the process; cancel = stop and delete.
// Trainer events are translated into the contract's training-* events (trainingState.ts).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FolderAccess } from '../access';
import { ApiError, type ApiEvent, type ParsedArgsOf, type TrainingEvent, type TrainingJobInfo, type TrainingRequestInfo } from '../contract';
import type { MediaUrl } from '../files';
import { emptyTrainingJob, isActive, reduceTraining } from '../trainingState';
import type { TrainingChannel, TrainingHostStarter } from './channel';
import type { FromHost, HostJob, HostTrainEvent } from './protocol';
import { readCheckpointStep } from '../../../training/checkpoint';
import { scanFolders } from './scan';

export const JOB_FILE = 'job.json';
/** Step events kept in a job's history (older ones are thinned; the chart needs no more). */
const MAX_STEP_EVENTS = 1200;
/** A job.json is rewritten at most this often while steps arrive (every other event at once). */
const SAVE_EVERY_MS = 2000;

/** What job.json holds. */
export interface StoredJob {
  version: 1;
  jobId: string;
  createdAt: string;
  request: TrainingRequestInfo;
  host: Omit<HostJob, 'resume'>;
  /** Seconds of training so far (for a minutes budget on resume). */
  seconds: number;
  events: TrainingEvent[];
}

export interface TrainingDeps {
  access: FolderAccess;
  /** <userDataDir>/training */
  dir: string;
  modelDirs: () => string[];
  /** Base model id -> its display name, task and whether it is installed. */
  describeBase: (id: string) => Promise<{ name: string; task: string } | null>;
  startHost: TrainingHostStarter;
  mediaUrl: MediaUrl;
  emit: (e: ApiEvent) => void;
  /** Trainer option overrides for every job (tests). */
  overrides?: Record<string, unknown>;
  threads?: number;
}

interface Live {
  job: StoredJob;
  info: TrainingJobInfo;
  channel: TrainingChannel | null;
  /** When the current process started (for `seconds`). */
  segmentStart: number | null;
  deadline: number | null;
  totalSteps: number | null;
  batch: number;
  lastStep: { at: number; step: number } | null;
  stepsPerSecond: number | null;
  saveTimer: NodeJS.Timeout | null;
  saving: Promise<void>;
  /** Pause asked while the trainer does not pause by itself: stop at the next checkpoint. */
  pauseAsked: boolean;
  cancelled: boolean;
}

export class TrainingJobs {
  private current: Live | null = null;
  private loaded: Promise<void> | null = null;

  constructor(private readonly deps: TrainingDeps) {}

  jobDir(jobId: string): string {
    return path.join(this.deps.dir, jobId);
  }

  /** The job the view shows: the running one, else the newest stored one (interrupted if its process is gone). */
  async get(): Promise<TrainingJobInfo | null> {
    await this.load();
    return this.current?.info ?? null;
  }

  async start(args: ParsedArgsOf<'startTraining'>): Promise<TrainingJobInfo> {
    await this.load();
    if (this.current && isActive(this.current.info.state)) {
      throw new ApiError('unavailable', `A training is already running (${this.current.info.request.name}): pause or cancel it first; only one runs at a time.`);
    }
    if (this.current && (this.current.info.state === 'paused' || this.current.info.state === 'interrupted')) {
      throw new ApiError('unavailable', `A paused training (${this.current.info.request.name}) is waiting: resume it, or cancel it to start another.`);
    }
    if (args.noisy && args.task !== 'denoise') throw new ApiError('invalid-argument', 'startTraining: noisy: only denoising learns from noisy photos without clean originals');
    const base = await this.deps.describeBase(args.base);
    if (!base) throw new ApiError('not-found', `${args.base}: no such model installed`);
    if (base.task !== args.task) throw new ApiError('invalid-argument', `${args.base}: is a ${base.task} model, not a ${args.task} model`);
    const scan = await scanFolders(this.deps.access, args.folders);
    if (scan.tooSmall) throw new ApiError('invalid-argument', scan.tooSmall);
    if (args.task === 'colorize' && scan.tooFewColour) throw new ApiError('invalid-argument', scan.tooFewColour);
    // A finished or failed job that was never adopted makes way for the new one.
    if (this.current) await this.discard(this.current);

    const jobId = `train-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
    const dir = this.jobDir(jobId);
    const previewDir = path.join(dir, 'previews');
    await fs.mkdir(previewDir, { recursive: true });
    await fs.mkdir(path.join(dir, 'staging'), { recursive: true });
    const budget = args.budget;
    const request: TrainingRequestInfo = {
      task: args.task, base: args.base, baseName: base.name, folders: scan.real, noisy: args.noisy, budget,
      name: args.name ?? `${base.name} (my photos)`,
    };
    const job: StoredJob = {
      version: 1, jobId, createdAt: new Date().toISOString(), request, seconds: 0, events: [],
      host: {
        task: args.task, base: args.base, modelDirs: this.deps.modelDirs(), folders: scan.real, noisy: args.noisy,
        ...('minutes' in budget ? { minutes: budget.minutes } : { untilNoGain: true }),
        out: path.join(dir, 'staging', 'model.onnx'), checkpoint: path.join(dir, 'checkpoint.ckpt'), previewDir,
        ...(this.deps.threads ? { threads: this.deps.threads } : {}),
        ...(this.deps.overrides ? { overrides: this.deps.overrides } : {}),
      },
    };
    const live = this.adopt(job);
    await this.deps.access.allow(previewDir, { internal: true });
    this.launch(live, false);
    return live.info;
  }

  async pause(jobId: string): Promise<TrainingJobInfo> {
    const live = await this.live(jobId);
    if (!live.channel || !isActive(live.info.state)) throw new ApiError('invalid-argument', `pauseTraining: ${live.info.request.name} is not running (${live.info.state})`);
    if (live.info.state !== 'pausing') {
      live.pauseAsked = true;
      live.channel.send({ type: 'pause' });
      this.record(live, { type: 'training-state', jobId, state: 'pausing' });
    }
    return live.info;
  }

  async resume(jobId: string): Promise<TrainingJobInfo> {
    const live = await this.live(jobId);
    if (live.info.state !== 'paused' && live.info.state !== 'interrupted') {
      throw new ApiError('invalid-argument', `resumeTraining: ${live.info.request.name} is ${live.info.state}, not paused or interrupted`);
    }
    await this.deps.access.allow(live.job.host.previewDir, { internal: true });
    this.launch(live, true);
    return live.info;
  }

  async cancel(jobId: string): Promise<boolean> {
    await this.load();
    const live = this.current;
    if (!live || live.job.jobId !== jobId) return false;
    await this.discard(live);
    return true;
  }

  /** The job's stored record (adopt reads its request and staged model). */
  async finished(jobId: string): Promise<{ job: StoredJob; info: TrainingJobInfo }> {
    const live = await this.live(jobId);
    return { job: live.job, info: live.info };
  }

  /** Records that the job's model was adopted as `model`. */
  markAdopted(jobId: string, model: string): void {
    if (this.current?.job.jobId === jobId) this.record(this.current, { type: 'training-adopted', jobId, model });
  }

  /** Stops the running process (app closing): the job stays resumable from its checkpoint. */
  async close(): Promise<void> {
    const live = this.current;
    if (!live) return;
    if (live.channel) {
      const ch = live.channel;
      const gone = new Promise<void>((r) => ch.onExit(() => r()));
      ch.kill('SIGKILL');
      await gone;
    }
    await this.flush(live);
  }

  // ---------- internals ----------

  private async live(jobId: string): Promise<Live> {
    await this.load();
    if (!this.current || this.current.job.jobId !== jobId) throw new ApiError('not-found', `training ${jobId}: no such job`);
    return this.current;
  }

  private adopt(job: StoredJob): Live {
    let info = emptyTrainingJob(job.jobId, job.request, job.createdAt);
    for (const e of job.events) info = reduceTraining(info, e);
    const live: Live = {
      job, info, channel: null, segmentStart: null, deadline: null, totalSteps: info.totalSteps, batch: 1, lastStep: null, stepsPerSecond: null,
      saveTimer: null, saving: Promise.resolve(), pauseAsked: false, cancelled: false,
    };
    this.current = live;
    return live;
  }

  /** Reads the newest job of the training folder once (a process that is gone means 'interrupted'). */
  private load(): Promise<void> {
    this.loaded ??= (async () => {
      const names = await fs.readdir(this.deps.dir).catch(() => [] as string[]);
      const jobs: StoredJob[] = [];
      for (const name of names) {
        const text = await fs.readFile(path.join(this.deps.dir, name, JOB_FILE), 'utf8').catch(() => null);
        if (!text) continue;
        try {
          const job = JSON.parse(text) as StoredJob;
          if (job.version === 1 && job.jobId === name) jobs.push(job);
        } catch {
          this.deps.emit({ type: 'log', level: 'warn', message: `${path.join(this.deps.dir, name, JOB_FILE)}: unreadable training job, ignored` });
        }
      }
      jobs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const newest = jobs[0];
      if (!newest || this.current) return;
      const live = this.adopt(newest);
      await this.deps.access.allow(newest.host.previewDir, { internal: true });
      if (isActive(live.info.state)) {
        await this.catchUpCheckpoint(live);
        const at = live.info.lastCheckpoint;
        this.record(live, {
          type: 'training-state', jobId: newest.jobId, state: 'interrupted',
          message: at ? `The app stopped while training; resuming continues from step ${at} (the last checkpoint).` : 'The app stopped while training, before the first checkpoint; resuming starts over.',
        });
      }
    })();
    return this.loaded;
  }

  private launch(live: Live, resume: boolean): void {
    const { job } = live;
    const hostJob: HostJob = { ...job.host };
    if (resume) {
      if (job.host.minutes !== undefined) hostJob.minutes = Math.max(0.2, job.host.minutes - job.seconds / 60);
      hostJob.resume = job.host.checkpoint;
    }
    live.pauseAsked = false;
    live.lastStep = null;
    live.segmentStart = Date.now();
    live.deadline = hostJob.minutes !== undefined ? Date.now() + hostJob.minutes * 60_000 : null;
    this.record(live, { type: 'training-state', jobId: job.jobId, state: 'starting' });
    const start = async (): Promise<void> => {
      if (resume && !(await fs.stat(job.host.checkpoint).then(() => true, () => false))) delete hostJob.resume;
      if (live.cancelled) return;
      const channel = this.deps.startHost();
      live.channel = channel;
      let ended = false;
      channel.onMessage((m) => {
        if (m.type === 'finished' || m.type === 'failed') ended = true;
        this.onHost(live, m);
      });
      channel.onExit((code, signal) => {
        if (live.channel === channel) live.channel = null;
        this.endSegment(live);
        if (live.cancelled) return;
        if (!ended && live.pauseAsked && live.info.lastCheckpoint !== null) {
          this.record(live, { type: 'training-paused', jobId: job.jobId, step: live.info.lastCheckpoint });
        } else if (!ended && isActive(live.info.state)) {
          void this.catchUpCheckpoint(live).then(() => {
            const at = live.info.lastCheckpoint;
            this.record(live, {
              type: 'training-state', jobId: job.jobId, state: 'interrupted',
              message: `The training process stopped (${signal ?? `exit code ${code}`})${at ? `; resuming continues from step ${at}` : ''}.`,
            });
          });
          return;
        }
        void this.flush(live);
      });
      channel.send({ type: 'start', job: hostJob });
    };
    start().catch((e: unknown) => this.record(live, { type: 'training-failed', jobId: job.jobId, error: (e as Error).message }));
  }

  /**
   * A process killed between writing a checkpoint and reporting it leaves a newer checkpoint than
   * the job knows: record the step on disk, which is where a resume continues.
   */
  private async catchUpCheckpoint(live: Live): Promise<void> {
    const onDisk = await readCheckpointStep(live.job.host.checkpoint);
    if (onDisk !== null && onDisk > (live.info.lastCheckpoint ?? 0)) {
      this.record(live, { type: 'training-checkpoint', jobId: live.job.jobId, step: onDisk });
    }
  }

  private endSegment(live: Live): void {
    if (live.segmentStart !== null) {
      live.job.seconds += (Date.now() - live.segmentStart) / 1000;
      live.segmentStart = null;
    }
  }

  private onHost(live: Live, m: FromHost): void {
    const jobId = live.job.jobId;
    switch (m.type) {
      case 'plan':
        live.totalSteps = m.minutes === null ? m.steps : null;
        live.batch = m.batch;
        this.record(live, { type: 'training-plan', jobId, totalSteps: live.totalSteps, minutes: m.minutes });
        this.record(live, { type: 'training-state', jobId, state: 'running' });
        return;
      case 'event':
        for (const e of this.translate(live, m.event)) this.record(live, e);
        if (m.event.type === 'checkpoint' && live.pauseAsked) {
          // The trainer checkpointed since pause was asked: stopping now loses nothing.
          live.channel?.kill('SIGKILL');
        }
        return;
      case 'finished':
        if (m.paused) this.record(live, { type: 'training-paused', jobId, step: m.steps });
        return;
      case 'failed':
        this.record(live, { type: 'training-failed', jobId, error: m.message });
        return;
    }
  }

  /** Trainer events (electron/cli/events.ts) -> the contract's training-* events. */
  private translate(live: Live, e: HostTrainEvent): TrainingEvent[] {
    const jobId = live.job.jobId;
    const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
    switch (e.type) {
      case 'step': {
        const step = num(e.step);
        const now = Date.now();
        if (live.lastStep && step > live.lastStep.step) {
          const sps = (step - live.lastStep.step) / Math.max(1e-3, (now - live.lastStep.at) / 1000);
          live.stepsPerSecond = live.stepsPerSecond === null ? sps : 0.8 * live.stepsPerSecond + 0.2 * sps;
        }
        live.lastStep = { at: now, step };
        const sps = live.stepsPerSecond;
        const bySteps = live.totalSteps !== null && sps ? (live.totalSteps - step) / sps : null;
        const byClock = live.deadline !== null ? Math.max(0, (live.deadline - now) / 1000) : null;
        const eta = bySteps !== null && byClock !== null ? Math.min(bySteps, byClock) : bySteps ?? byClock;
        return [{ type: 'training-step', jobId, step, loss: num(e.loss), stepsPerSecond: sps, etaSeconds: eta === null ? null : Math.round(eta) }];
      }
      case 'validation':
        return [{ type: 'training-validation', jobId, step: num(e.step), psnr: num(e.psnr), ...(typeof e.basePsnr === 'number' ? { basePsnr: e.basePsnr } : {}) }];
      case 'split':
        return [{
          type: 'training-split', jobId, train: Array.isArray(e.train) ? e.train.length : num(e.train),
          heldOut: Array.isArray(e.heldOut) ? (e.heldOut as string[]) : [], megapixels: num(e.megapixels),
        }];
      case 'preview':
        return typeof e.path === 'string'
          ? [{ type: 'training-preview', jobId, step: num(e.step), file: typeof e.image === 'string' ? e.image : '', url: this.deps.mediaUrl(e.path, Date.now()) }]
          : [];
      case 'checkpoint':
        return [{ type: 'training-checkpoint', jobId, step: num(e.step) }];
      case 'prepare':
        return [{ type: 'training-prepare', jobId, stage: String(e.stage), done: num(e.done), total: num(e.total) }];
      case 'paused':
        return [{ type: 'training-paused', jobId, step: num(e.step) }];
      case 'result': {
        const photos = Array.isArray(e.photos) ? (e.photos as Array<Record<string, unknown>>) : [];
        return [{
          type: 'training-result', jobId,
          result: {
            photos: photos.map((p) => ({
              file: String(p.file), basePsnr: typeof p.basePsnr === 'number' ? p.basePsnr : null, psnr: num(p.psnr),
              ...(typeof p.picture === 'string' ? { picture: this.deps.mediaUrl(p.picture, Date.now()) } : {}),
            })),
            basePsnr: typeof e.basePsnr === 'number' ? e.basePsnr : null, psnr: num(e.psnr), reference: e.reference === 'self' ? 'self' : 'clean',
            ...(e.measure === 'whole' ? { measure: 'whole' as const } : {}),
            ...(e.measure === 'crops' ? { measure: 'crops' as const, crops: num(e.crops) } : {}),
          },
        }];
      }
      case 'done': {
        const adopted = e.adopted === true;
        const bestPsnr = num(e.bestPsnr);
        const basePsnr = typeof e.basePsnr === 'number' ? e.basePsnr : live.info.basePsnr;
        const reason = typeof e.reason === 'string' && e.reason ? e.reason
          : adopted ? undefined
          : basePsnr !== null ? `On the held-out photos it reached ${bestPsnr.toFixed(2)} dB against the base model's ${basePsnr.toFixed(2)} dB: no gain, so it is not offered for adoption.`
          : 'It did not beat its base model on the held-out photos.';
        return [{ type: 'training-done', jobId, beat: adopted, bestPsnr, basePsnr, ...(reason ? { reason } : {}), canAdopt: adopted && typeof e.out === 'string' && e.out !== '' }];
      }
      default:
        return [];
    }
  }

  /** Applies an event: the job's view, its history (persisted), and the UI. */
  private record(live: Live, e: TrainingEvent): void {
    live.info = reduceTraining(live.info, e);
    const events = live.job.events;
    events.push(e);
    if (e.type === 'training-step') {
      let steps = 0;
      for (const x of events) if (x.type === 'training-step') steps++;
      if (steps > MAX_STEP_EVENTS) {
        let i = 0;
        live.job.events = events.filter((x) => x.type !== 'training-step' || i++ % 2 === 1 || x === e);
      }
      this.deps.emit(e);
      if (!live.saveTimer) live.saveTimer = setTimeout(() => void this.flush(live), SAVE_EVERY_MS);
      return;
    }
    this.deps.emit(e);
    void this.flush(live);
  }

  /** Writes job.json atomically (serialised per job). */
  private flush(live: Live): Promise<void> {
    if (live.saveTimer) clearTimeout(live.saveTimer);
    live.saveTimer = null;
    if (live.cancelled) return live.saving;
    const seconds = live.job.seconds + (live.segmentStart !== null ? (Date.now() - live.segmentStart) / 1000 : 0);
    const text = JSON.stringify({ ...live.job, seconds });
    const dir = this.jobDir(live.job.jobId);
    live.saving = live.saving.then(async () => {
      if (live.cancelled) return;
      const file = path.join(dir, JOB_FILE);
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        await fs.mkdir(dir, { recursive: true });
        await fs.writeFile(tmp, text);
        await fs.rename(tmp, file);
      } catch (err) {
        this.deps.emit({ type: 'log', level: 'error', message: `${file}: cannot save the training job (${(err as Error).message})` });
      }
    });
    return live.saving;
  }

  /** Stops the job's process and deletes its folder (checkpoint, staging, previews). */
  private async discard(live: Live): Promise<void> {
    live.cancelled = true;
    if (live.saveTimer) clearTimeout(live.saveTimer);
    const ch = live.channel;
    if (ch) {
      const gone = new Promise<void>((r) => ch.onExit(() => r()));
      ch.send({ type: 'cancel' });
      const timer = setTimeout(() => ch.kill('SIGKILL'), 2000);
      await gone;
      clearTimeout(timer);
    }
    await live.saving;
    await fs.rm(this.jobDir(live.job.jobId), { recursive: true, force: true });
    if (this.current === live) this.current = null;
    this.deps.emit({ type: 'training-state', jobId: live.job.jobId, state: 'cancelled' });
  }
}
