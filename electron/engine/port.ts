// Worker-side transport: the engine process talks to its supervisor through Electron's
// process.parentPort (utilityProcess) or Node's process.send (child_process.fork). This adapter
// is the mirror image of channel.ts.
import type { FromEngine, ToEngine } from './protocol';

export interface WorkerPort {
  post(msg: FromEngine): void;
  onMessage(cb: (msg: ToEngine) => void): void;
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
    };
  }
  if (typeof process.send === 'function') {
    return {
      post: (msg) => {
        if (process.connected) process.send?.(msg);
      },
      onMessage: (cb) => process.on('message', (m) => cb(m as ToEngine)),
    };
  }
  throw new Error('engine worker: started without an IPC channel (use EngineClient.start)');
}
