// Transport to the training host process, like the engine's channel: child_process.fork of the
// bundled host (CLI, web bridge, tests) or, in the desktop app, Electron's utilityProcess wrapped
// by the caller. Either way the process is put at low priority (nice 19; the idle class on
// Windows) once it has a pid.
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { appRoot } from '../../paths';
import type { FromHost, ToHost } from './protocol';

export interface TrainingChannel {
  readonly pid: number | undefined;
  send(msg: ToHost): void;
  onMessage(cb: (msg: FromHost) => void): void;
  /** Called once when the process is gone (normal exit, crash, kill). */
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

export type TrainingHostStarter = () => TrainingChannel;

/** The bundled host (dist/training-host.js, scripts/build.mjs). */
export function trainingHostPath(): string {
  return path.join(appRoot(), 'dist', 'training-host.js');
}

/** Lowers a process to the lowest priority; false when the OS refused. */
export function lowerPriority(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    os.setPriority(pid, os.constants.priority.PRIORITY_LOW);
    return true;
  } catch {
    return false;
  }
}

export function forkTrainingHost(hostPath: string = trainingHostPath(), env: NodeJS.ProcessEnv = process.env): TrainingChannel {
  const child = fork(hostPath, [], { execArgv: [], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  lowerPriority(child.pid);
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
      child.on('message', (m) => cb(m as FromHost));
    },
    onExit(cb) {
      if (exited) cb(child.exitCode, child.signalCode);
      else exitCbs.push(cb);
    },
    kill(signal = 'SIGTERM') {
      if (!exited) child.kill(signal);
    },
  };
}

/** The part of Electron's UtilityProcess used here (structural; no electron import). */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', cb: (message: unknown) => void): unknown;
  on(event: 'exit', cb: (code: number) => void): unknown;
  on(event: 'spawn', cb: () => void): unknown;
  kill(): boolean;
}

/** Electron: wrap `utilityProcess.fork(trainingHostPath())` made by the main process. */
export function utilityTrainingChannel(proc: UtilityProcessLike): TrainingChannel {
  let exited = false;
  const exitCbs: Array<(code: number | null, signal: string | null) => void> = [];
  proc.on('spawn', () => lowerPriority(proc.pid));
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
      proc.on('message', (m: unknown) => cb(m as FromHost));
    },
    onExit(cb) {
      if (exited) cb(null, null);
      else exitCbs.push(cb);
    },
    kill() {
      if (!exited) proc.kill();
    },
  };
}
