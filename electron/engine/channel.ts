// Supervisor-side transport to the engine process. One small adapter hides the difference
// between Node's child_process.fork (CLI, web bridge) and Electron's utilityProcess (the app):
// both become an EngineChannel that sends ToEngine messages and reports FromEngine messages and
// the process exit. Nothing else in the engine knows which one is in use.
import { fork } from 'node:child_process';
import { childProcessChannel, utilityProcessChannel as wrapUtility, type ProcessChannel, type UtilityProcessLike } from '../processChannel';
import type { FromEngine, ToEngine } from './protocol';

export type EngineChannel = ProcessChannel<ToEngine, FromEngine>;
export type { UtilityProcessLike };

export type ChannelFactory = () => EngineChannel;

/** child_process.fork of the bundled worker (dist/engine-worker.js). */
export function forkChannel(workerPath: string, opts: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {}): EngineChannel {
  const child = fork(workerPath, [], {
    execArgv: opts.execArgv ?? [],
    env: opts.env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  return childProcessChannel<ToEngine, FromEngine>(child);
}

/** Electron: wrap `utilityProcess.fork(workerPath)` (created by the caller in the main process). */
export function utilityProcessChannel(proc: UtilityProcessLike): EngineChannel {
  return wrapUtility<ToEngine, FromEngine>(proc);
}
