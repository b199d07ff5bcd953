// One typed message channel to a helper process, whichever way it was started: Node's
// child_process.fork (CLI, web bridge, tests) or Electron's utilityProcess (the desktop app). The
// engine (engine/channel.ts) and the training host (api/training/channel.ts) both talk through it,
// each with its own message types; nothing else knows which kind of process is in use.
import type { ChildProcess } from 'node:child_process';

export interface ProcessChannel<Out, In> {
  readonly pid: number | undefined;
  /** Dropped once the process is gone. */
  send(msg: Out): void;
  onMessage(cb: (msg: In) => void): void;
  /** Called once when the process is gone (normal exit, crash, kill -9); at once when it already is. */
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

/** The part of Electron's UtilityProcess used here (structural, so no electron import). */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', cb: (message: unknown) => void): unknown;
  on(event: 'exit', cb: (code: number) => void): unknown;
  on(event: 'spawn', cb: () => void): unknown;
  kill(): boolean;
}

type ExitCb = (code: number | null, signal: string | null) => void;

/** Exit bookkeeping shared by both kinds: fires each callback once, late subscribers at once. */
function exitState(): { exited: () => boolean; fire: ExitCb; subscribe: (cb: ExitCb) => void } {
  let done: [number | null, string | null] | null = null;
  const cbs: ExitCb[] = [];
  return {
    exited: () => done !== null,
    fire(code, signal) {
      if (done) return;
      done = [code, signal];
      for (const cb of cbs) cb(code, signal);
    },
    subscribe(cb) {
      if (done) cb(done[0], done[1]);
      else cbs.push(cb);
    },
  };
}

/** A forked child (with an IPC channel) as a ProcessChannel. */
export function childProcessChannel<Out, In>(child: ChildProcess): ProcessChannel<Out, In> {
  const exit = exitState();
  child.on('exit', (code, signal) => exit.fire(code, signal));
  child.on('error', () => exit.fire(null, 'error'));
  return {
    get pid() {
      return child.pid;
    },
    send(msg) {
      if (!exit.exited() && child.connected) child.send(msg as object);
    },
    onMessage(cb) {
      child.on('message', (m) => cb(m as In));
    },
    onExit: exit.subscribe,
    kill(signal = 'SIGTERM') {
      if (!exit.exited()) child.kill(signal);
    },
  };
}

/** Electron's utilityProcess (created by the caller in the main process) as a ProcessChannel. */
export function utilityProcessChannel<Out, In>(proc: UtilityProcessLike): ProcessChannel<Out, In> {
  const exit = exitState();
  proc.on('exit', (code: number) => exit.fire(code, null));
  return {
    get pid() {
      return proc.pid;
    },
    send(msg) {
      if (!exit.exited()) proc.postMessage(msg);
    },
    onMessage(cb) {
      proc.on('message', (m: unknown) => cb(m as In));
    },
    onExit: exit.subscribe,
    kill() {
      if (!exit.exited()) proc.kill();
    },
  };
}
