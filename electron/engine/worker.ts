// Engine process entry point (bundled to dist/engine-worker.js; started by EngineClient through
// child_process.fork or Electron's utilityProcess). Receives ToEngine messages, runs one file at a
// time in an Engine, and answers with FromEngine messages. A crash here (e.g. an out-of-memory
// abort) only ends this process; the supervisor in client.ts restarts it.
import '../ortTelemetry'; // first: before any ONNX Runtime session
import { Engine } from './engine';
import { workerPort } from './port';
import type { FromEngine, ProcessFileRequest, ToEngine } from './protocol';
import { isOutOfMemory } from './tiling';
import { ImageError } from '../imageio/errors';

const port = workerPort();
const post = (msg: FromEngine): void => port.post(msg);
const log = (level: 'info' | 'warn' | 'error', message: string): void => post({ type: 'log', level, message });

let engine: Promise<Engine> | null = null;
const running = new Map<string, AbortController>();
let queue: Promise<void> = Promise.resolve();

/** The input file itself is unusable: an ImageError about the request's input, however wrapped (not one about an output). */
function isBadInput(e: unknown, input: string): boolean {
  for (let c: unknown = e; c instanceof Error; c = c.cause) if (c instanceof ImageError && c.file === input) return true;
  return false;
}

async function run(request: ProcessFileRequest): Promise<void> {
  const ctl = new AbortController();
  running.set(request.jobId, ctl);
  try {
    if (!engine) throw new Error('engine not initialised');
    const result = await (await engine).process(request, {
      signal: ctl.signal,
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    post({ type: 'done', jobId: request.jobId, result });
  } catch (e) {
    const error = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
    post({ type: 'failed', jobId: request.jobId, error, ...(isOutOfMemory(e) ? { outOfMemory: true } : {}), ...(isBadInput(e, request.input) ? { badInput: true } : {}) });
  } finally {
    running.delete(request.jobId);
  }
}

port.onMessage((msg: ToEngine) => {
  switch (msg.type) {
    case 'init':
      engine = Engine.create(msg.options, log);
      engine.then(
        (e) => post({ type: 'ready', provider: e.provider, pid: process.pid }),
        (e: unknown) => {
          log('error', `engine failed to start: ${(e as Error).message}`);
          setTimeout(() => process.exit(1), 50);
        },
      );
      return;
    case 'process':
      queue = queue.then(() => run(msg.request));
      return;
    case 'cancel':
      running.get(msg.jobId)?.abort();
      return;
    case 'shutdown':
      for (const ctl of running.values()) ctl.abort();
      void (async () => {
        try {
          if (engine) await (await engine).close();
        } finally {
          process.exit(0);
        }
      })();
      return;
  }
});

// The supervisor owns this process's lifetime. A terminal's Ctrl-C reaches the whole process group;
// the CLI decides what it means (stop after the current file), so the engine ignores it instead of
// dying and having its file redone after a restart.
process.on('SIGINT', () => {});
// Supervisor gone (e.g. the CLI was killed with -9; noticed as a disconnect or as a failed send,
// port.ts): stop at once and quietly rather than finish work nobody will collect. Writes are atomic, so nothing partial is left at a final path.
port.onGone(() => {
  for (const ctl of running.values()) ctl.abort();
  process.exit(0);
});
