// The in-process engine, as run inside the engine process (worker.ts): picks the execution
// provider once, sets ONNX Runtime's and sharp's threads from the same budget, keeps the session
// cache, and processes files. Models come from the app's models/ folder plus the user's folders
// (EngineOptions.modelDirs), re-read for every file so a newly trained model is seen at once;
// every model file is sha256-checked against its manifest before a session is created.
import { loadModels, resolveModel, verifyModelFile } from '../../models/registry';
import { appModelsDir } from '../paths';
import { configureSharp } from '../imageio/sharpConfig';
import { createCatalog } from './catalog';
import { probeProvider, SessionPool, type Logger } from './ort';
import { processFile } from './processFile';
import type { EngineOptions, FileProgress, ProcessFileRequest, ProcessFileResult, ProviderStatus } from './protocol';
import { selectProvider } from './providers';
import type { ModelCatalog } from './tasks/types';

export class Engine {
  private constructor(
    readonly options: EngineOptions,
    readonly provider: ProviderStatus,
    private readonly sessions: SessionPool,
    private readonly dirs: string[],
    private readonly log: Logger,
  ) {}

  static async create(options: EngineOptions, log: Logger): Promise<Engine> {
    const threads = Math.max(1, Math.floor(options.threads || 1));
    // ORT intra-op threads and libvips threads share one budget: they never run at the same time
    // on one file (decode, then tiles, then encode), so each may use all of it.
    configureSharp(threads);
    const provider = await selectProvider(options.provider, probeProvider);
    if (provider.fallbackReason) log('warn', provider.fallbackReason);
    const sessions = new SessionPool({ provider: provider.active, threads, verify: verifyModelFile, log });
    const dirs = [appModelsDir(), ...(options.modelDirs ?? [])];
    return new Engine({ ...options, threads }, provider, sessions, dirs, log);
  }

  private async catalog(): Promise<ModelCatalog> {
    const known = await loadModels(this.dirs);
    return createCatalog(known, (idOrFile, task) => resolveModel(idOrFile, task, this.dirs));
  }

  async process(
    req: ProcessFileRequest,
    opts: { signal?: AbortSignal; onProgress?: (p: FileProgress) => void } = {},
  ): Promise<ProcessFileResult> {
    let catalog: ModelCatalog;
    try {
      catalog = await this.catalog();
    } catch (e) {
      throw new Error(`${req.input}: ${(e as Error).message}`, { cause: e });
    }
    return processFile(req, {
      catalog,
      sessions: this.sessions,
      tile: this.options.tile,
      log: this.log,
      signal: opts.signal,
      onProgress: opts.onProgress,
    });
  }

  async close(): Promise<void> {
    await this.sessions.releaseAll();
  }
}
