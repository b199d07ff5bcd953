// Worker-side transport: the engine process talks to its supervisor through Electron's
// process.parentPort (utilityProcess) or Node's process.send (child_process.fork). This adapter
// is the mirror image of channel.ts. When the supervisor is gone (e.g. the CLI was killed with
// -9), a send fails with EPIPE before or after the 'disconnect' event, depending on timing: both
// end in onGone, never in an unhandled 'error' event (a stack trace on the user's terminal).
import type { FromEngine, ToEngine } from './protocol';

export interface WorkerPort {
  post(msg: FromEngine): void;
  onMessage(cb: (msg: ToEngine) => void): void;
  /** Called once when the supervisor's channel is gone (disconnected, or a send failed). */
  onGone(cb: () => void): void;
}

interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', cb: (e: { data: unknown }) => void): unknown;
}

export function workerPort(): WorkerPort {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      post: (msg) => parentPort.postMessage(msg),
      onMessage: (cb) => parentPort.on('message', (e) => cb(e.data as ToEngine)),
      onGone: () => undefined, // Electron ends a utility process with its parent
    };
  }
  if (typeof process.send === 'function') {
    const goneCbs: Array<() => void> = [];
    let gone = false;
    const fireGone = (): void => {
      if (gone) return;
      gone = true;
      for (const cb of goneCbs) cb();
    };
    process.on('disconnect', fireGone);
    return {
      post: (msg) => {
        if (gone || !process.connected) return;
        // With a callback, a failed write (EPIPE) is reported here instead of as an 'error' event.
        process.send?.(msg, undefined, {}, (err: Error | null) => {
          if (err) fireGone();
        });
      },
      onMessage: (cb) => process.on('message', (m) => cb(m as ToEngine)),
      onGone: (cb) => {
        goneCbs.push(cb);
        if (gone) cb();
      },
    };
  }
  throw new Error('engine worker: started without an IPC channel (use EngineClient.start)');
}
