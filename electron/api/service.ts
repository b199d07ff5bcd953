// The Node-side implementation of the API contract, shared by the web bridge (`restore serve`) and
// Electron's main process: `call(name, raw)` validates the arguments with the contract's zod
// schemas, runs the handler and returns an Outcome (never throws); `on()` subscribes to events.
// Shell-specific pieces (native dialogs, revealing a folder, media URLs) come in as dependencies.
// Restored results and the views' saved session live in the user's data folder (dataDir), so
// that a reload or a restart loses no work (resultStore.ts, sessionStore.ts); a full restore still
// running when the page reloads is found again through the session's job id (getSession, getRestoreJob).
import os from 'node:os';
import path from 'node:path';
import type { FolderAccess } from './access';
import { BatchJobs } from './batchJobs';
import { EngineHost, type EngineStarter } from './engineHost';
import { FileService, type MediaUrl } from './files';
import { importModel, listModels, toModelInfo, type ModelFolder } from './models';
import { RestoreJobs } from './restoreJobs';
import { checkMask } from './maskCheck';
import { findPrintsCall, splitScanCall } from './scanSplit';
import { ResultStore } from './resultStore';
import { SessionStore } from './sessionStore';
import { applyDefaultModels } from './defaultModels';
import { adoptStagedModel } from './training/adopt';
import { forkTrainingHost, type TrainingHostStarter } from './training/channel';
import { TrainingJobs } from './training/jobs';
import { scanFolders } from './training/scan';
import { annotateDefaults, pruneDefaults, removeUserModel, renameUserModel, withDefault } from './userModels';
import { userDataDir } from '../paths';
import { failureCode } from './failureCode';
import type { SettingsStore } from './settingsStore';
import {
  ApiError,
  isCallName,
  parseArgs,
  type ApiEvent,
  type AppInfo,
  type CallName,
  type CallResultOf,
  type ModelInfo,
  type Outcome,
  type ParsedArgsOf,
} from './contract';

/** Shell features only Electron has; the web bridge leaves them out. */
export interface NativeShell {
  chooseFiles(args: ParsedArgsOf<'chooseFiles'>): Promise<string[] | null>;
  chooseSavePath(args: ParsedArgsOf<'chooseSavePath'>): Promise<string | null>;
  revealPath(path: string): Promise<boolean>;
}

export interface ServiceDeps {
  shell: AppInfo['shell'];
  version: string;
  access: FolderAccess;
  workspace: string;
  settings: SettingsStore;
  modelFolders: ModelFolder[];
  startEngine: EngineStarter;
  mediaUrl: MediaUrl;
  native?: NativeShell;
  /** Where training jobs live (default <userDataDir>/training). */
  trainingDir?: string;
  /** Starts the training host process (default: child_process.fork of dist/training-host.js). */
  startTrainingHost?: TrainingHostStarter;
  /** Trainer option overrides for every training (tests: tiny runs). */
  trainingOverrides?: Record<string, unknown>;
  /**
   * The user's data folder: kept results in <dataDir>/results, the saved session in
   * <dataDir>/session. Default <workspace>/kept, which goes with the workspace (tests).
   */
  dataDir?: string;
  /** Bound of the kept results in bytes (default resultStore's DEFAULT_KEPT_RESULTS_CAP). */
  keptResultsCapBytes?: number;
}

type Handlers = { [N in CallName]: (args: ParsedArgsOf<N>) => Promise<CallResultOf<N>> };

export interface ApiService {
  call(name: string, raw: unknown): Promise<Outcome<unknown>>;
  on(listener: (e: ApiEvent) => void): () => void;
  readonly files: FileService;
  close(): Promise<void>;
}

export function createApiService(deps: ServiceDeps): ApiService {
  const listeners = new Set<(e: ApiEvent) => void>();
  const emit = (e: ApiEvent): void => {
    for (const l of listeners) l(e);
  };
  const settings = (): ReturnType<SettingsStore['get']> => deps.settings.get();
  const modelDirs = deps.modelFolders.map((f) => f.dir);
  const host = new EngineHost(deps.startEngine, modelDirs, emit, async (req) => applyDefaultModels(req, (await settings()).defaultModels, modelDirs));
  const files = new FileService(deps.access, deps.workspace, deps.mediaUrl);
  const dataDir = deps.dataDir ?? path.join(deps.workspace, 'kept');
  const kept = new ResultStore(path.join(dataDir, 'results'), deps.keptResultsCapBytes);
  const session = new SessionStore(path.join(dataDir, 'session'), deps.workspace);
  const pinned = (): string[] => {
    const shown = session.shownResult();
    return shown ? [shown] : [];
  };
  const restores = new RestoreJobs(deps.access, files, host, settings, emit, kept, pinned);
  const batches = new BatchJobs(deps.access, host, settings, emit, files.originals);
  // Both folders are reachable by the UI (media URLs, export sources) once they exist; a data
  // folder that cannot be made is said when the session is asked for, and the rest still works.
  let storeProblem: string | null = null;
  const ready = (async () => {
    for (const store of [kept, session]) {
      await store.ensure();
      await deps.access.allow(store.dir, { internal: true });
    }
  })().catch((e: unknown) => {
    storeProblem = `Work cannot be kept across restarts: ${(e as Error).message.split('\n')[0]}`;
  });
  const userFolder = (): ModelFolder => {
    const target = deps.modelFolders.find((f) => f.source === 'user');
    if (!target) throw new ApiError('unavailable', 'this session has no user model folder to install models into');
    return target;
  };
  const models = async (): Promise<ModelInfo[]> => annotateDefaults(await listModels(deps.modelFolders), (await settings()).defaultModels);
  const training = new TrainingJobs({
    access: deps.access,
    dir: deps.trainingDir ?? path.join(userDataDir(), 'training'),
    modelDirs: () => modelDirs,
    describeBase: async (id) => {
      const m = (await listModels(deps.modelFolders)).filter((x) => x.id === id).pop();
      return m ? { name: m.name, task: m.task } : null;
    },
    startHost: deps.startTrainingHost ?? (() => forkTrainingHost()),
    mediaUrl: deps.mediaUrl,
    emit,
    ...(deps.trainingOverrides ? { overrides: deps.trainingOverrides } : {}),
  });

  const handlers: Handlers = {
    getAppInfo: async () => ({
      version: deps.version,
      shell: deps.shell,
      platform: `${os.platform()} ${os.arch()}`,
      roots: deps.access.list(),
      workspace: deps.workspace,
      appFolders: deps.access.listInternal(),
      modelDirs: deps.modelFolders.map((f) => f.dir),
    }),
    getSettings: () => settings(),
    setSettings: async ({ patch }) => {
      const before = await settings();
      const next = await deps.settings.update(patch);
      if (before.provider !== next.provider || before.threads !== next.threads || before.tile !== next.tile) {
        // Restart the engine in the background; the UI hears the outcome as a 'provider' event.
        void host.provider(next).then((provider) => emit({ type: 'provider', provider }));
      }
      return next;
    },
    getProvider: async () => host.provider(await settings()),
    listModels: () => models(),
    importModel: async (args) => {
      const target = deps.modelFolders.find((f) => f.source === 'user');
      if (!target) throw new ApiError('unavailable', `${args.path}: this session has no user model folder to import into`);
      return importModel(await deps.access.check(args.path), target);
    },
    listDir: (args) => files.listDir(args.path),
    chooseFiles: async (args) => {
      if (!deps.native) return null;
      const picked = await deps.native.chooseFiles(args);
      // What the user picked becomes reachable: the folder, or just the files (not their siblings).
      if (picked) for (const p of picked) await deps.access.allow(p);
      return picked;
    },
    chooseSavePath: async (args) => {
      if (!deps.native) return null;
      const picked = await deps.native.chooseSavePath(args);
      if (picked) await deps.access.allow(path.dirname(picked));
      return picked;
    },
    openImage: async (args) => {
      const info = await files.imageInfo(args.path);
      await files.originals.add(info.path);
      return info;
    },
    saveMask: async ({ pngBase64, photo }) => ({ path: await files.saveMask(pngBase64, photo) }),
    restore: (args) => restores.restore(args),
    detectDamage: async (args) => {
      // Said plainly before an engine starts: without a detector the mask is painted by hand.
      if (!args.model && !(await listModels(deps.modelFolders)).some((m) => m.task === 'detect-damage')) {
        throw new ApiError('unavailable', 'No damage detector model is installed: paint over the damage with the mask brush instead.');
      }
      return restores.detectDamage(args);
    },
    exportImage: (args) => restores.exportImage(args),
    findPrints: ({ path: file }) => findPrintsCall(deps.access, file),
    splitScan: (args) => splitScanCall(deps.access, files, args),
    startBatch: (args) => batches.start(args),
    pauseBatch: async ({ jobId }) => batches.pause(jobId, true),
    resumeBatch: async ({ jobId }) => batches.pause(jobId, false),
    cancel: async ({ jobId }) => ({ cancelled: restores.cancel(jobId) || batches.cancel(jobId) }),
    revealPath: async (args) => {
      const real = await deps.access.check(args.path);
      return { shown: deps.native ? await deps.native.revealPath(real) : false };
    },
    scanTrainingFolders: async ({ folders }) => {
      const { real: _real, ...scan } = await scanFolders(deps.access, folders);
      return scan;
    },
    startTraining: (args) => training.start(args),
    pauseTraining: ({ jobId }) => training.pause(jobId),
    resumeTraining: ({ jobId }) => training.resume(jobId),
    cancelTraining: async ({ jobId }) => ({ cancelled: await training.cancel(jobId) }),
    getTraining: () => training.get(),
    adoptTrainedModel: async ({ jobId, name, makeDefault }) => {
      const target = userFolder();
      const { job, info } = await training.finished(jobId);
      const entry = await adoptStagedModel({ job, info, name, target: target.dir, modelDirs });
      training.markAdopted(jobId, entry.id);
      if (makeDefault) await deps.settings.update({ defaultModels: withDefault(await settings(), info.request.base, entry.id) });
      return annotateDefaults([toModelInfo(entry, target)], (await settings()).defaultModels)[0]!;
    },
    renameModel: async ({ id, name }) => {
      const m = await renameUserModel(deps.modelFolders, id, name);
      return annotateDefaults([m], (await settings()).defaultModels)[0]!;
    },
    removeModel: async ({ id }) => {
      const removed = await removeUserModel(deps.modelFolders, id);
      const s = await settings();
      if (s.defaultModels) await deps.settings.update({ defaultModels: pruneDefaults(s.defaultModels, await listModels(deps.modelFolders)) });
      return { removed };
    },
    getSession: async () => {
      const restored = await session.restore(
        {
          imageInfo: async (file) => {
            const info = await files.imageInfo(file);
            await files.originals.add(info.path);
            return info;
          },
          keptResult: (file) => restores.keptResult(file),
        },
        batches.runningIds(),
      );
      if (storeProblem) restored.notices.push(storeProblem);
      const job = restored.state?.restore.job;
      const info = job ? restores.jobInfo(job) : null;
      // Named as the session names the photo (a dropped photo's kept copy), so the UI can tell it is the open one.
      if (info) info.input = session.savedPathOf(await deps.access.check(info.input).catch(() => info.input));
      if (job) restored.restoreJob = info;
      return restored;
    },
    saveSession: async ({ state, mask }) => {
      const photo = state.restore.photo ? await deps.access.check(state.restore.photo) : null;
      const result = state.restore.result ? await deps.access.check(state.restore.result) : null;
      if (typeof mask === 'string') {
        // Checked as a painted mask is (maskCheck.ts): a whole PNG of the open photo's size.
        if (!photo) throw new ApiError('invalid-argument', 'saveSession: a mask needs the photo it was painted on');
        const { width, height } = await files.imageInfo(photo);
        await checkMask(Buffer.from(mask, 'base64'), width, height);
      }
      const saved = await session.save({ ...state, restore: { ...state.restore, photo, result } }, mask);
      if (saved) await files.originals.add(saved); // a kept copy of a dropped photo is an original too
      return { saved: true as const };
    },
    getRestoreJob: async ({ jobId }) => restores.jobInfo(jobId),
    getKeptResults: () => kept.usage(),
    clearKeptResults: async () => {
      const usage = await kept.clear();
      emit({ type: 'kept-results-cleared' });
      return usage;
    },
    setDefaultModel: async ({ base, model }) => {
      const all = await listModels(deps.modelFolders);
      const b = all.find((m) => m.id === base);
      if (!b) throw new ApiError('not-found', `${base}: no such model`);
      if (model !== null) {
        const m = all.find((x) => x.id === model);
        if (!m) throw new ApiError('not-found', `${model}: no such model`);
        if (m.source !== 'user') throw new ApiError('invalid-argument', `${model}: only your own models replace a built-in default`);
        if (m.task !== b.task || m.scale !== b.scale) throw new ApiError('invalid-argument', `${model}: is not a ${b.task}${b.scale > 1 ? ` x${b.scale}` : ''} model like ${base}`);
      }
      return deps.settings.update({ defaultModels: withDefault(await settings(), base, model) });
    },
  };

  return {
    files,
    async call(name, raw) {
      try {
        if (!isCallName(name)) throw new ApiError('unknown-call', `${name}: no such call`);
        const args = parseArgs(name, raw);
        await ready;
        const handler = handlers[name] as (a: typeof args) => Promise<unknown>;
        return { ok: true, value: await handler(args) };
      } catch (e) {
        if (e instanceof ApiError) return { ok: false, error: { code: e.code, message: e.message } };
        const message = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'failed';
        return { ok: false, error: { code: failureCode(e), message } };
      }
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      batches.cancelAll();
      await training.close();
      await host.stop();
      listeners.clear();
    },
  };
}

