// Supervisor-side transport to the engine process. One small adapter hides the difference
// between Node's child_process.fork (CLI, web bridge) and Electron's utilityProcess (the app):
// both become an EngineChannel that sends ToEngine messages and reports FromEngine messages and
// the process exit. Nothing else in the engine knows which one is in use.
import { fork } from 'node:child_process';
import type { FromEngine, ToEngine } from './protocol';

export interface EngineChannel {
  readonly pid: number | undefined;
  send(msg: ToEngine): void;
  onMessage(cb: (msg: FromEngine) => void): void;
  /** Called once when the process is gone (crash, kill -9, normal exit). */
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

export type ChannelFactory = () => EngineChannel;

/** child_process.fork of the bundled worker (dist/engine-worker.js). */
export function forkChannel(workerPath: string, opts: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {}): EngineChannel {
  const child = fork(workerPath, [], {
    execArgv: opts.execArgv ?? [],
    env: opts.env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  let exited = false;
  const exitCbs: Array<(code: number | null, signal: string | null) => void> = [];
  const fire = (code: number | null, signal: string | null): void => {
    if (exited) return;
    exited = true;
    for (const cb of exitCbs) cb(code, signal);
  };
  child.on('exit', (code, signal) => fire(code, signal));
  child.on('error', () => fire(null, 'error'));
  return {
    get pid() {
      return child.pid;
    },
    send(msg) {
      if (!exited && child.connected) child.send(msg);
    },
    onMessage(cb) {
      child.on('message', (m) => cb(m as FromEngine));
    },
    onExit(cb) {
      exitCbs.push(cb);
    },
    kill(signal = 'SIGTERM') {
      if (!exited) child.kill(signal);
    },
  };
}

/** The part of Electron's UtilityProcess we use (structural, so this file needs no electron import). */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', cb: (message: unknown) => void): unknown;
  on(event: 'exit', cb: (code: number) => void): unknown;
  kill(): boolean;
}

/** Electron: wrap `utilityProcess.fork(workerPath)` (created by the caller in the main process). */
export function utilityProcessChannel(proc: UtilityProcessLike): EngineChannel {
  let exited = false;
  const exitCbs: Array<(code: number | null, signal: string | null) => void> = [];
  proc.on('exit', (code: number) => {
    if (exited) return;
    exited = true;
    for (const cb of exitCbs) cb(code, null);
  });
  return {
    get pid() {
      return proc.pid;
    },
    send(msg) {
      if (!exited) proc.postMessage(msg);
    },
    onMessage(cb) {
      proc.on('message', (m: unknown) => cb(m as FromEngine));
    },
    onExit(cb) {
      exitCbs.push(cb);
    },
    kill() {
      if (!exited) proc.kill();
    },
  };
}
