// The Node-side implementation of the API contract, shared by the web bridge (`restore serve`) and
// Electron's main process: `call(name, raw)` validates the arguments with the contract's zod
// schemas, runs the handler and returns an Outcome (never throws); `on()` subscribes to events.
// Shell-specific pieces (native dialogs, revealing a folder, media URLs) come in as dependencies.
import os from 'node:os';
import path from 'node:path';
import type { FolderAccess } from './access';
import { BatchJobs } from './batchJobs';
import { EngineHost, type EngineStarter } from './engineHost';
import { FileService, type MediaUrl } from './files';
import { importModel, listModels, type ModelFolder } from './models';
import { RestoreJobs } from './restoreJobs';
import type { SettingsStore } from './settingsStore';
import {
  ApiError,
  isCallName,
  parseArgs,
  type ApiEvent,
  type AppInfo,
  type CallName,
  type CallResultOf,
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
  const host = new EngineHost(deps.startEngine, deps.modelFolders.map((f) => f.dir), emit);
  const files = new FileService(deps.access, deps.workspace, deps.mediaUrl);
  const restores = new RestoreJobs(deps.access, files, host, settings, emit);
  const batches = new BatchJobs(deps.access, host, settings, emit);

  const handlers: Handlers = {
    getAppInfo: async () => ({
      version: deps.version,
      shell: deps.shell,
      platform: `${os.platform()} ${os.arch()}`,
      roots: deps.access.list(),
      workspace: deps.workspace,
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
    listModels: () => listModels(deps.modelFolders),
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
    openImage: (args) => files.imageInfo(args.path),
    saveMask: async ({ pngBase64 }) => ({ path: await files.saveMask(pngBase64) }),
    restore: (args) => restores.restore(args),
    detectDamage: async (args) => {
      // Said plainly before an engine starts: without a detector the mask is painted by hand.
      if (!args.model && !(await listModels(deps.modelFolders)).some((m) => m.task === 'detect-damage')) {
        throw new ApiError('unavailable', 'No damage detector model is installed: paint over the damage with the mask brush instead.');
      }
      return restores.detectDamage(args);
    },
    exportImage: (args) => restores.exportImage(args),
    startBatch: (args) => batches.start(args),
    pauseBatch: async ({ jobId }) => batches.pause(jobId, true),
    resumeBatch: async ({ jobId }) => batches.pause(jobId, false),
    cancel: async ({ jobId }) => ({ cancelled: restores.cancel(jobId) || batches.cancel(jobId) }),
    revealPath: async (args) => {
      const real = await deps.access.check(args.path);
      return { shown: deps.native ? await deps.native.revealPath(real) : false };
    },
  };

  return {
    files,
    async call(name, raw) {
      try {
        if (!isCallName(name)) throw new ApiError('unknown-call', `${name}: no such call`);
        const args = parseArgs(name, raw);
        const handler = handlers[name] as (a: typeof args) => Promise<unknown>;
        return { ok: true, value: await handler(args) };
      } catch (e) {
        if (e instanceof ApiError) return { ok: false, error: { code: e.code, message: e.message } };
        const message = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'failed';
        return { ok: false, error: { code: 'failed', message } };
      }
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      batches.cancelAll();
      await host.stop();
      listeners.clear();
    },
  };
}
