// Owns the engine process for the UI (web bridge or Electron main): starts it with the current
// settings (provider, threads, tile, model folders), restarts it when those settings change,
// reports the active provider (and why it differs from the request), and relays engine restarts
// and logs as API events. If the engine cannot start, calls fail with its reason, and the provider
// shows CPU with that reason, so the UI stays usable. Jobs hold a lease on the engine: a settings
// change never kills a running restore or batch; the restart happens when the last lease ends.
import type { EngineOptions, ProcessFileRequest, ProviderStatus } from '../engine/protocol';
import type { BatchEngine } from '../batch/runner';
import type { ApiEvent, ProviderInfo, Settings } from './contract';
import { ApiError } from './contract';

/** What the host needs of an engine (EngineClient implements it). */
export interface HostedEngine extends BatchEngine {
  on(event: 'restart', cb: (e: { input?: string; signal: string | null; code: number | null }) => void): () => void;
  on(event: 'log', cb: (e: { level: 'info' | 'warn' | 'error'; message: string }) => void): () => void;
  close(): Promise<void>;
}

export type EngineStarter = (options: EngineOptions) => Promise<HostedEngine>;

/** Rewrites a request before the engine sees it (defaultModels.ts: fine-tuned models as defaults). */
export type RequestRewriter = (req: ProcessFileRequest) => Promise<ProcessFileRequest>;

/** The engine with every processFile request passed through `rewrite` first. */
function rewriting(engine: HostedEngine, rewrite: RequestRewriter): HostedEngine {
  const wrapped: HostedEngine = {
    get provider() {
      return engine.provider;
    },
    processFile: async (req, onProgress) => engine.processFile(await rewrite(req), onProgress),
    cancel: (jobId) => engine.cancel(jobId),
    on: ((event: 'restart' | 'log', cb: never) => engine.on(event as 'log', cb)) as HostedEngine['on'],
    close: () => engine.close(),
  };
  return wrapped;
}

function optionsOf(s: Settings, modelDirs: string[]): EngineOptions {
  return { provider: s.provider, threads: s.threads, tile: s.tile, modelDirs };
}
const key = (o: EngineOptions): string => JSON.stringify([o.provider, o.threads, o.tile, o.modelDirs]);

export class EngineHost {
  private engine: Promise<HostedEngine> | null = null;
  private startedWith = '';
  private lastError: string | null = null;
  private unsubscribe: Array<() => void> = [];
  private leases = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** Settings that asked for a restart while jobs held the engine. */
  private pending: Settings | null = null;

  constructor(
    private readonly start: EngineStarter,
    private readonly modelDirs: string[],
    private readonly emit: (e: ApiEvent) => void,
    private readonly rewrite?: RequestRewriter,
  ) {}

  /**
   * The engine for a job, held until `release()`: started or restarted for these settings, or the
   * running one when other jobs hold it (the new settings then apply once they are done).
   */
  async acquire(settings: Settings): Promise<{ engine: HostedEngine; release: () => void }> {
    const raw = await this.get(settings);
    const engine = this.rewrite ? rewriting(raw, this.rewrite) : raw;
    this.leases += 1;
    let released = false;
    return {
      engine,
      release: () => {
        if (released) return;
        released = true;
        this.leases -= 1;
        const next = this.pending;
        if (this.leases === 0 && next) {
          this.pending = null;
          void this.provider(next);
        }
      },
    };
  }

  /**
   * The running engine for these settings (started, or restarted when they changed and no job
   * holds it). Calls are serialised, so quick successive settings changes end on the last one.
   */
  get(settings: Settings): Promise<HostedEngine> {
    const run = this.queue.then(() => this.getNow(settings));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async getNow(settings: Settings): Promise<HostedEngine> {
    const options = optionsOf(settings, this.modelDirs);
    if (this.engine && this.startedWith === key(options)) return this.unwrap(this.engine);
    if (this.engine && this.leases > 0) {
      this.pending = settings;
      this.emit({ type: 'log', level: 'info', message: 'new engine settings apply when the running job ends' });
      return this.unwrap(this.engine);
    }
    await this.stop();
    this.startedWith = key(options);
    this.engine = this.start(options).then((engine) => {
      this.lastError = null;
      this.unsubscribe = [
        engine.on('restart', (r) =>
          this.emit({ type: 'engine-restart', reason: `engine process stopped (${r.signal ?? `exit code ${r.code}`})${r.input ? ` while processing ${r.input}` : ''}; restarted` }),
        ),
        engine.on('log', (l) => this.emit({ type: 'log', level: l.level, message: l.message })),
      ];
      return engine;
    });
    const engine = await this.unwrap(this.engine);
    this.emit({ type: 'provider', provider: this.info(engine.provider) });
    return engine;
  }

  /** Provider status for the UI; starts the engine if needed. */
  async provider(settings: Settings): Promise<ProviderInfo> {
    try {
      return this.info((await this.get(settings)).provider);
    } catch {
      return {
        requested: settings.provider,
        active: 'cpu',
        fallbackReason: `engine unavailable: ${this.lastError ?? 'not started'}`,
        available: ['cpu'],
      };
    }
  }

  async stop(): Promise<void> {
    const running = this.engine;
    this.engine = null;
    this.unsubscribe.forEach((u) => u());
    this.unsubscribe = [];
    if (running) await running.then((e) => e.close()).catch(() => undefined);
  }

  private async unwrap(p: Promise<HostedEngine>): Promise<HostedEngine> {
    try {
      return await p;
    } catch (e) {
      this.lastError = (e as Error).message;
      this.engine = null;
      throw new ApiError('unavailable', `The restoration engine cannot start: ${this.lastError}`);
    }
  }

  private info(p: ProviderStatus): ProviderInfo {
    const available: ProviderInfo['available'] = p.active === 'cpu' ? ['cpu'] : ['cpu', p.active];
    return { requested: p.requested, active: p.active, ...(p.fallbackReason ? { fallbackReason: p.fallbackReason } : {}), available };
  }
}
