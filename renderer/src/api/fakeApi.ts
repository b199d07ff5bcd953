// In-memory implementation of the API contract for UI development (`?fake=1`) and tests of the
// renderer without a server: a small fake folder tree, one model per task, restore/batch calls that
// emit progress events on a timer, a damage detector that "finds" two scratches, and the saved
// session and kept results held in memory (a page reload starts afresh).
import type { ApiEvent, CallArgsOf, CallName, CallResultOf, ImageInfo, ModelInfo, RestoreApi, RestoreJobInfo, RestoreResult, SessionState, Settings, TrainingEvent, TrainingJobInfo } from '@api/contract';
import { emptyTrainingJob, reduceTraining } from '@api/trainingState';
import { ApiError } from '@api/apiError';
import { DEFAULT_SETTINGS } from '@api/defaults';

const SAMPLE =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="427"><defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#445"/><stop offset="1" stop-color="#cba"/></linearGradient></defs><rect width="640" height="427" fill="url(#g)"/><circle cx="320" cy="210" r="120" fill="#876"/></svg>',
  );

export function createFakeApi(): RestoreApi {
  const listeners = new Set<(event: ApiEvent) => void>();
  const emit = (event: ApiEvent): void => listeners.forEach((l) => l(event));
  let settings: Settings = { ...DEFAULT_SETTINGS };
  const image = (path: string): ImageInfo => ({
    path,
    name: path.split('/').pop() ?? path,
    width: 640,
    height: 427,
    format: 'png',
    depth: 8,
    channels: 3,
    bytes: 123_456,
    url: SAMPLE,
  });
  const models: ModelInfo[] = (['denoise', 'colorize', 'upscale', 'inpaint', 'detect-damage'] as const).map((task) => ({
    id: `fake-${task}`,
    name: `Fake ${task}`,
    task,
    parameters: 100_000,
    architecture: 'unet',
    scale: task === 'upscale' ? 2 : 1,
    source: 'app',
    file: `fake-${task}.onnx`,
    evaluation: [{ set: 'CBSD68', psnr: 30.1 }],
  }));

  // The saved session and the kept results (path -> result), as the main side keeps them on disk.
  let session: { state: SessionState; mask: string | null } | null = null;
  const kept = new Map<string, RestoreResult>();
  /** Full restores, as the service keeps them for a reloaded page (getRestoreJob). */
  const restoreJobs = new Map<string, RestoreJobInfo>();
  const keptUsage = () => ({ dir: '/fake/user-data/results', bytes: kept.size * 123_456, count: kept.size, unexported: kept.size, capBytes: 2 * 1024 ** 3 });

  // A simulated training: 120 steps in about 12 s, a validation every 30, then a result that beats the base.
  let job: TrainingJobInfo | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  const record = (e: TrainingEvent): void => {
    if (job) job = reduceTraining(job, e);
    emit(e);
  };
  const runTraining = (): void => {
    if (!job) return;
    const jobId = job.jobId;
    record({ type: 'training-state', jobId, state: 'running' });
    timer = setInterval(() => {
      if (!job) return;
      const step = job.step + 2;
      record({ type: 'training-step', jobId, step, loss: 0.05 * Math.exp(-step / 60) + 0.01, stepsPerSecond: 10, etaSeconds: Math.max(0, (120 - step) / 10) });
      if (step % 30 === 0) {
        record({ type: 'training-validation', jobId, step, psnr: 30 + step / 100, basePsnr: 30 });
        record({ type: 'training-preview', jobId, step, file: '/photos/a.png', url: SAMPLE });
        record({ type: 'training-checkpoint', jobId, step });
      }
      if (step >= 120) {
        if (timer) clearInterval(timer);
        timer = null;
        record({ type: 'training-result', jobId, result: { photos: [{ file: '/photos/a.png', basePsnr: 30, psnr: 31.2, picture: SAMPLE }], basePsnr: 30, psnr: 31.2, reference: 'clean' } });
        record({ type: 'training-done', jobId, beat: true, bestPsnr: 31.2, basePsnr: 30, canAdopt: true });
      }
    }, 200);
  };

  const handlers: { [N in CallName]: (args: CallArgsOf<N>) => CallResultOf<N> | Promise<CallResultOf<N>> } = {
    getAppInfo: () => ({ version: '0.0.0-fake', shell: 'web', platform: 'fake', roots: ['/photos'], workspace: '/tmp/ws', appFolders: ['/tmp/ws'], modelDirs: [] }),
    getSettings: () => settings,
    setSettings: ({ patch }) => (settings = { ...settings, ...patch }),
    getProvider: () => ({ requested: settings.provider, active: 'cpu', available: ['cpu'] }),
    listModels: () => models,
    importModel: ({ path }) => {
      throw new ApiError('failed', `${path}: importing is not available in the fake API`);
    },
    listDir: ({ path }) => ({
      path: path ?? '/photos',
      parent: path && path !== '/photos' ? '/photos' : null,
      entries: [
        { name: 'a.png', path: '/photos/a.png', kind: 'image' },
        { name: 'b.jpg', path: '/photos/b.jpg', kind: 'image' },
      ],
    }),
    chooseFiles: () => null,
    chooseSavePath: () => null,
    openImage: ({ path }) => image(path),
    saveMask: () => ({ path: '/tmp/ws/mask.png' }),
    restore: async ({ jobId, input, steps, preview, region }) => {
      // The real service's refusals of a region (electron/api/region.ts), same codes and wording.
      const photo = image(input);
      if (region && preview) throw new ApiError('invalid-argument', `${input}: preview and region cannot be combined`);
      if (region && steps.some((s) => s.task === 'colorize')) throw new ApiError('invalid-argument', `${input}: a region cannot be colourized on its own (the colour comes from the whole photo); restore the whole photo or use preview`);
      const x0 = region ? Math.max(0, region.x) : 0;
      const y0 = region ? Math.max(0, region.y) : 0;
      const clipped = region ? { x: x0, y: y0, width: Math.min(photo.width, region.x + region.width) - x0, height: Math.min(photo.height, region.y + region.height) - y0 } : undefined;
      if (region && clipped && (clipped.width <= 0 || clipped.height <= 0)) throw new ApiError('invalid-argument', `${input}: region ${region.width}x${region.height} at ${region.x},${region.y} lies outside the photo (${photo.width}x${photo.height})`);
      const whole = !preview && !region;
      if (whole) restoreJobs.set(jobId, { jobId, input, state: 'running', fraction: null, step: 0, steps: steps.length });
      for (let i = 1; i <= 4; i++) {
        await new Promise((r) => setTimeout(r, preview ? 40 : 120));
        emit({ type: 'restore-progress', jobId, step: 0, steps: steps.length, fraction: i / 4 });
      }
      // A preview runs on a copy whose long side is at most maxSide (none when the photo is smaller).
      const full = photo;
      const k = preview ? Math.min(1, preview.maxSide / Math.max(full.width, full.height)) : 1;
      const result = clipped ? { ...full, width: clipped.width, height: clipped.height } : { ...full, width: Math.round(full.width * k), height: Math.round(full.height * k) };
      const settings = (s: (typeof steps)[number]): Record<string, number> => ({
        ...('tta' in s && s.tta ? { tta: 8 } : {}),
        ...(s.task === 'colorize' ? { hints: s.hints?.length ?? 0, saturation: s.saturation ?? 1 } : {}),
      });
      const made: RestoreResult = { jobId, image: { ...result, path: `/fake/user-data/results/${jobId}.png` }, provider: 'cpu', seconds: 0.5, steps: steps.map((s) => ({ task: s.task, model: `fake-${s.task}`, settings: settings(s) })), preview: k < 1 || clipped !== undefined, ...(clipped ? { region: clipped } : {}) };
      kept.set(made.image.path, made);
      if (whole) {
        const job: RestoreJobInfo = { jobId, input, state: 'done', fraction: 1, step: 0, steps: steps.length, result: made };
        restoreJobs.set(jobId, job);
        emit({ type: 'restore-finished', job });
      }
      return made;
    },
    detectDamage: async ({ jobId, path }) => {
      for (let i = 1; i <= 4; i++) {
        await new Promise((r) => setTimeout(r, 80));
        emit({ type: 'restore-progress', jobId, step: 0, steps: 1, fraction: i / 4 });
      }
      const { width, height } = image(path);
      const c = document.createElement('canvas');
      c.width = width;
      c.height = height;
      const ctx = c.getContext('2d');
      if (!ctx) throw new ApiError('failed', 'Canvas 2D is unavailable.');
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, width, height);
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 3;
      ctx.beginPath();
      ctx.moveTo(60, 40);
      ctx.lineTo(420, 380);
      ctx.moveTo(500, 30);
      ctx.lineTo(560, 300);
      ctx.stroke();
      const pngBase64 = c.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
      return { jobId, mask: '/tmp/ws/masks/damage.png', pngBase64, width, height, markedPercent: 0.85, model: 'fake-detect-damage', threshold: 0.5, provider: 'cpu', seconds: 0.3 };
    },
    exportImage: ({ output }) => image(output),
    // a photo whose name says "scan" holds two prints; any other is one photo
    findPrints: ({ path }) =>
      /scan/i.test(path.split('/').pop() ?? '')
        ? { width: 640, height: 427, irregular: 0, prints: [{ cx: 170, cy: 140, width: 240, height: 160, angle: -4 }, { cx: 470, cy: 290, width: 230, height: 150, angle: 6 }] }
        : { width: 640, height: 427, irregular: 0, prints: [], reason: 'no plain background (a white or black scanner lid) around the picture: this looks like one photo, not a scan of several prints' },
    splitScan: ({ path, folder }) => {
      const stem = (path.split('/').pop() ?? 'scan').replace(/\.[^.]+$/, '');
      return { outputs: [1, 2].map((k) => image(`${folder.replace(/\/$/, '')}/${stem}-${k}.png`)) };
    },
    startBatch: ({ jobId, inputs }) => {
      setTimeout(() => emit({ type: 'batch-done', summary: { jobId, done: inputs.length, skipped: 0, failed: 0, total: inputs.length, seconds: 1, state: 'finished' } }), 500);
      return { jobId, total: inputs.length };
    },
    pauseBatch: () => ({ paused: true }),
    resumeBatch: () => ({ paused: false }),
    cancel: () => ({ cancelled: true }),
    revealPath: () => ({ shown: false }),
    scanTrainingFolders: ({ folders }) => ({ photos: 12 * folders.length, megapixels: 3.1 * folders.length, folders: folders.map((folder) => ({ folder, photos: 12 })), unreadable: [], monochrome: { count: 0, measured: 12 * folders.length } }),
    startTraining: ({ task, base, folders, noisy, budget, name }) => {
      const baseName = models.find((m) => m.id === base)?.name ?? base;
      job = emptyTrainingJob('fake-training', { task, base, baseName, folders, noisy: noisy ?? false, budget, name: name ?? `${baseName} (my photos)` }, new Date().toISOString());
      record({ type: 'training-plan', jobId: job.jobId, totalSteps: 120, minutes: null });
      record({ type: 'training-split', jobId: job.jobId, train: 10, heldOut: ['/photos/a.png', '/photos/b.jpg'], megapixels: 3.1 });
      runTraining();
      return job;
    },
    pauseTraining: () => {
      if (timer) clearInterval(timer);
      timer = null;
      if (job) record({ type: 'training-paused', jobId: job.jobId, step: job.step });
      return job!;
    },
    resumeTraining: () => {
      runTraining();
      return job!;
    },
    cancelTraining: () => {
      if (timer) clearInterval(timer);
      timer = null;
      if (job) emit({ type: 'training-state', jobId: job.jobId, state: 'cancelled' });
      job = null;
      return { cancelled: true };
    },
    getTraining: () => job,
    adoptTrainedModel: ({ jobId, name }) => {
      const m: ModelInfo = { ...models[0]!, id: 'my-model', name, source: 'user', lineage: { base: job?.request.base ?? 'fake-denoise', data: '/photos', steps: 120 } };
      models.push(m);
      record({ type: 'training-adopted', jobId, model: m.id });
      return m;
    },
    renameModel: ({ id, name }) => {
      const m = models.find((x) => x.id === id);
      if (!m || m.source !== 'user') throw new ApiError('forbidden', `${id}: only your own models can be renamed`);
      m.name = name;
      return m;
    },
    removeModel: ({ id }) => {
      const i = models.findIndex((x) => x.id === id && x.source === 'user');
      if (i >= 0) models.splice(i, 1);
      return { removed: i >= 0 };
    },
    getSession: () => {
      const state = session?.state ?? null;
      const photo = state?.restore.photo ? image(state.restore.photo) : null;
      const result = photo && state?.restore.result ? (kept.get(state.restore.result) ?? null) : null;
      const job = state?.restore.job;
      return { state, photo, result, mask: photo ? (session?.mask ?? null) : null, notices: [], runningBatches: [], ...(job ? { restoreJob: restoreJobs.get(job) ?? null } : {}) };
    },
    saveSession: ({ state, mask }) => {
      session = { state: { ...state, restore: { ...state.restore, mode: state.restore.mode ?? 'slider', job: state.restore.job ?? null } }, mask: mask === undefined ? (session?.mask ?? null) : mask };
      return { saved: true };
    },
    getRestoreJob: ({ jobId }) => restoreJobs.get(jobId) ?? null,
    getKeptResults: () => keptUsage(),
    clearKeptResults: () => {
      kept.clear();
      emit({ type: 'kept-results-cleared' });
      return keptUsage();
    },
    setDefaultModel: ({ base, model }) => {
      const next = { ...(settings.defaultModels ?? {}) };
      if (model) next[base] = model;
      else delete next[base];
      settings = { ...settings, defaultModels: next };
      return settings;
    },
  };

  return {
    async call<N extends CallName>(name: N, args: CallArgsOf<N>): Promise<CallResultOf<N>> {
      const handler = handlers[name] as unknown as (a: CallArgsOf<N>) => CallResultOf<N> | Promise<CallResultOf<N>>;
      return handler(args);
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async pathForDroppedFile(file) {
      return `/tmp/ws/${file.name}`;
    },
  };
}
