// Transport to the training host process, like the engine's channel: child_process.fork of the
// bundled host (CLI, web bridge, tests) or, in the desktop app, Electron's utilityProcess wrapped
// by the caller. Either way the process is put at low priority (nice 19; the idle class on
// Windows) once it has a pid.
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { appRoot } from '../../paths';
import { childProcessChannel, utilityProcessChannel, type ProcessChannel, type UtilityProcessLike } from '../../processChannel';
import type { FromHost, ToHost } from './protocol';

export type TrainingChannel = ProcessChannel<ToHost, FromHost>;
export type { UtilityProcessLike };

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
  return childProcessChannel<ToHost, FromHost>(child);
}

/** Electron: wrap `utilityProcess.fork(trainingHostPath())` made by the main process. */
export function utilityTrainingChannel(proc: UtilityProcessLike): TrainingChannel {
  proc.on('spawn', () => lowerPriority(proc.pid));
  return utilityProcessChannel<ToHost, FromHost>(proc);
}
