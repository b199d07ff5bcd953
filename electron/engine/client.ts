// EngineClient: the supervisor side of the engine process. Starts the worker (fork or Electron
// utilityProcess via channel.ts), sends it one file at a time, relays progress, and survives
// crashes: when the worker dies mid-file (an out-of-memory abort cannot be caught in-process,
// or someone kill -9's it) it restarts the worker and retries that file with half the tile, at
// most `maxAttempts` times, then fails that file only and carries on with the queue.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImageError } from '../imageio/errors';
import { forkChannel, type ChannelFactory, type EngineChannel } from './channel';
import type {
  EngineOptions,
  FileProgress,
  FromEngine,
  ProcessFileRequest,
  ProcessFileResult,
  ProviderStatus,
} from './protocol';

export interface EngineClientOptions extends EngineOptions {
  /** Bundled worker script; default dist/engine-worker.js (beside the bundle, or the repo's dist/). */
  workerPath?: string;
  /** Electron passes a factory wrapping utilityProcess.fork; default is child_process.fork. */
  channelFactory?: ChannelFactory;
  /** Attempts per file, crashes and out-of-memory retries included (default 3). */
  maxAttempts?: number;
  /** How long to wait for the worker's 'ready' (default 60 s). */
  startTimeoutMs?: number;
  /**
   * A file whose worker sends nothing (no progress) for this long is treated like a crash: the
   * worker is killed, restarted and the file retried (default 300 s; 0 = never).
   */
  stallTimeoutMs?: number;
}

export interface RestartInfo {
  pid: number | undefined;
  code: number | null;
  signal: string | null;
  restarts: number;
  /** Input file that was in flight, if any. */
  input?: string;
}

export interface LogEvent {
  level: 'info' | 'warn' | 'error';
  message: string;
}

interface EventMap {
  restart: RestartInfo;
  log: LogEvent;
}

interface Job {
  req: ProcessFileRequest;
  onProgress: ((p: FileProgress) => void) | undefined;
  resolve: (r: ProcessFileResult) => void;
  reject: (e: Error) => void;
  attempts: number;
  lastTile: number | undefined;
}

const MIN_TILE = 32;
const MAX_CONSECUTIVE_START_FAILURES = 3;

export function defaultWorkerPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'engine-worker.js'), path.resolve(here, '../../dist/engine-worker.js')];
  return candidates.find((c) => existsSync(c)) ?? candidates[candidates.length - 1]!;
}

export class EngineClient {
  provider: ProviderStatus;
  private channel: EngineChannel;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private readonly listeners: { [K in keyof EventMap]: Set<(e: EventMap[K]) => void> } = {
    restart: new Set(),
    log: new Set(),
  };
  private restarts = 0;
  private closing = false;
  private dead: Error | null = null;
  private startFailures = 0;
  private everReady = false;
  private readyWaiter: { resolve: (p: ProviderStatus) => void; reject: (e: Error) => void } | null = null;
  private stallTimer: NodeJS.Timeout | undefined;
  private lastError: string | undefined;

  private constructor(
    private readonly opts: Required<Pick<EngineClientOptions, 'maxAttempts' | 'startTimeoutMs' | 'stallTimeoutMs'>> & EngineClientOptions,
    private readonly factory: ChannelFactory,
    channel: EngineChannel,
    provider: ProviderStatus,
  ) {
    this.channel = channel;
    this.provider = provider;
  }

  /** Starts the engine process and waits until it has picked its execution provider. */
  static async start(opts: EngineClientOptions): Promise<EngineClient> {
    const workerPath = opts.workerPath ?? defaultWorkerPath();
    if (!opts.channelFactory && !existsSync(workerPath)) {
      throw new Error(`${workerPath}: engine worker not built (run node scripts/build.mjs)`);
    }
    const factory = opts.channelFactory ?? (() => forkChannel(workerPath));
    const full = { maxAttempts: 3, startTimeoutMs: 60_000, stallTimeoutMs: 300_000, ...opts };
    // Bootstrap: a temporary client object owns the first channel from the start so that no
    // message is lost between spawn and ready.
    const channel = factory();
    const client = new EngineClient(full, factory, channel, { requested: opts.provider, active: 'cpu' });
    client.provider = await client.attach(channel);
    return client;
  }

  /** Subscribe to 'restart' or 'log'; returns the unsubscribe function. */
  on<K extends keyof EventMap>(event: K, cb: (e: EventMap[K]) => void): () => void {
    const set = this.listeners[event] as Set<(e: EventMap[K]) => void>;
    set.add(cb);
    return () => set.delete(cb);
  }

  get pid(): number | undefined {
    return this.channel.pid;
  }

  /** Queue one file; resolves with its result or rejects with "<file>: <reason>". */
  processFile(req: ProcessFileRequest, onProgress?: (p: FileProgress) => void): Promise<ProcessFileResult> {
    if (this.dead) return Promise.reject(new Error(`${req.input}: ${this.dead.message}`));
    if (this.closing) return Promise.reject(new Error(`${req.input}: engine is closed`));
    return new Promise((resolve, reject) => {
      this.queue.push({ req: { ...req }, onProgress, resolve, reject, attempts: 0, lastTile: req.tile });
      this.pump();
    });
  }

  /** Cancel a queued or running job; its promise rejects with "<file>: cancelled". */
  cancel(jobId: string): void {
    const i = this.queue.findIndex((j) => j.req.jobId === jobId);
    if (i >= 0) {
      const [job] = this.queue.splice(i, 1);
      job?.reject(new Error(`${job.req.input}: cancelled`));
      return;
    }
    if (this.current?.req.jobId === jobId) this.channel.send({ type: 'cancel', jobId });
  }

  /** Stops the worker (pending jobs reject). */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearTimeout(this.stallTimer);
    for (const job of this.queue.splice(0)) job.reject(new Error(`${job.req.input}: engine closed`));
    if (this.current) {
      this.current.reject(new Error(`${this.current.req.input}: engine closed`));
      this.current = null;
    }
    const channel = this.channel;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        channel.kill('SIGKILL');
        resolve();
      }, 5_000);
      channel.onExit(() => {
        clearTimeout(timer);
        resolve();
      });
      channel.send({ type: 'shutdown' });
    });
  }

  // ---- internals ----

  private emit<K extends keyof EventMap>(event: K, e: EventMap[K]): void {
    for (const cb of this.listeners[event] as Set<(e: EventMap[K]) => void>) cb(e);
  }

  /** Wires a fresh channel and resolves once the worker reports 'ready'. */
  private attach(channel: EngineChannel): Promise<ProviderStatus> {
    this.channel = channel;
    channel.onMessage((msg) => {
      if (channel === this.channel) this.onMessage(msg);
    });
    channel.onExit((code, signal) => {
      if (channel === this.channel) this.onExit(channel, code, signal);
    });
    const ready = new Promise<ProviderStatus>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyWaiter = null;
        this.startFailures += 1;
        if (!this.everReady) this.dead = new Error('engine process failed to start');
        channel.kill('SIGKILL');
        reject(new Error(`engine process did not start within ${this.opts.startTimeoutMs} ms`));
      }, this.opts.startTimeoutMs);
      this.readyWaiter = {
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
    const { workerPath: _w, channelFactory: _c, maxAttempts: _m, startTimeoutMs: _s, stallTimeoutMs: _t, ...options } = this.opts;
    channel.send({ type: 'init', options });
    return ready;
  }

  /** (Re)arms the stall watchdog while a file is in flight. */
  private armWatchdog(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    if (!this.current || this.opts.stallTimeoutMs <= 0) return;
    const channel = this.channel;
    this.stallTimer = setTimeout(() => {
      this.emit('log', { level: 'error', message: `${this.current?.req.input ?? '?'}: engine silent for ${this.opts.stallTimeoutMs} ms; killing it` });
      channel.kill('SIGKILL');
    }, this.opts.stallTimeoutMs);
    this.stallTimer.unref();
  }

  private onMessage(msg: FromEngine): void {
    switch (msg.type) {
      case 'ready':
        this.startFailures = 0;
        this.everReady = true;
        this.provider = msg.provider;
        this.readyWaiter?.resolve(msg.provider);
        this.readyWaiter = null;
        this.pump();
        return;
      case 'log':
        if (msg.level === 'error') this.lastError = msg.message;
        this.emit('log', { level: msg.level, message: msg.message });
        return;
      case 'progress': {
        const job = this.current;
        if (!job || job.req.jobId !== msg.progress.jobId) return;
        this.armWatchdog();
        if (msg.progress.tile) job.lastTile = msg.progress.tile;
        job.onProgress?.(msg.progress);
        return;
      }
      case 'done': {
        const job = this.current;
        if (!job || job.req.jobId !== msg.jobId) return;
        this.current = null;
        this.armWatchdog();
        job.resolve(msg.result);
        this.pump();
        return;
      }
      case 'failed': {
        const job = this.current;
        if (!job || job.req.jobId !== msg.jobId) return;
        this.current = null;
        this.armWatchdog();
        if (msg.outOfMemory && this.retryable(job)) {
          this.emit('log', { level: 'warn', message: `${job.req.input}: out of memory, retrying with tile ${job.req.tile}` });
          this.queue.unshift(job);
        } else {
          job.reject(failure(job.req.input, msg.error, msg.badInput === true));
        }
        this.pump();
        return;
      }
    }
  }

  /** Counts an attempt and halves the tile; false when the file has used up its attempts. */
  private retryable(job: Job): boolean {
    job.attempts += 1;
    if (job.attempts >= this.opts.maxAttempts) return false;
    const from = job.lastTile ?? job.req.tile ?? (this.opts.tile > 0 ? this.opts.tile : 512);
    job.req = { ...job.req, tile: Math.max(MIN_TILE, Math.floor(from / 2)) };
    job.lastTile = job.req.tile;
    return true;
  }

  private onExit(channel: EngineChannel, code: number | null, signal: string | null): void {
    clearTimeout(this.stallTimer);
    if (this.closing || (this.dead && !this.everReady)) return;
    const job = this.current;
    this.current = null;
    const starting = this.readyWaiter;
    this.readyWaiter = null;
    if (starting) {
      this.startFailures += 1;
      const why = this.lastError ? `: ${this.lastError}` : '';
      starting.reject(new Error(`engine process exited during start (${signal ?? `code ${code}`})${why}`));
      if (!this.everReady) {
        this.dead = new Error('engine process failed to start');
        return;
      }
    }
    this.restarts += 1;
    this.emit('restart', { pid: channel.pid, code, signal, restarts: this.restarts, input: job?.req.input });
    if (job) {
      if (this.retryable(job)) this.queue.unshift(job);
      else job.reject(new Error(`${job.req.input}: engine process crashed (${signal ?? `exit code ${code}`}) on every attempt`));
    }
    if (this.startFailures >= MAX_CONSECUTIVE_START_FAILURES) {
      this.dead = new Error(`engine process keeps failing to start (${signal ?? `exit code ${code}`})`);
      for (const j of this.queue.splice(0)) j.reject(new Error(`${j.req.input}: ${this.dead.message}`));
      return;
    }
    this.attach(this.factory()).catch((e: unknown) => {
      this.emit('log', { level: 'error', message: `engine restart failed: ${(e as Error).message}` });
    });
  }

  private pump(): void {
    if (this.current || this.readyWaiter || this.closing || this.dead) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    this.channel.send({ type: 'process', request: job.req });
    this.armWatchdog();
  }
}

/**
 * The error a failed job rejects with, its message naming the input once; an unusable input file
 * stays an ImageError across the process boundary, so callers can tell it from an engine fault.
 */
function failure(input: string, error: string, badInput: boolean): Error {
  const prefix = `${input}: `;
  if (badInput) return new ImageError(input, error.startsWith(prefix) ? error.slice(prefix.length) : error);
  return new Error(error.startsWith(input) ? error : `${prefix}${error}`);
}
