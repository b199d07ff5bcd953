// The training host: its own Node process (dist/training-host.js), started by TrainingJobs for one
// fine-tuning run at low priority, so that restorations and the window stay responsive. It
// receives one `start` message, builds the trainer's options (options.ts) and calls train()
// directly (not the CLI), forwarding every trainer event; `pause` aborts the trainer's pause
// signal (checkpoint at the current step, then stop), `cancel` its stop signal. It exits when the
// run ends. Works under child_process.fork (process.send) and Electron's utilityProcess
// (process.parentPort).
import '../../ortTelemetry'; // first: before any ONNX Runtime session
import os from 'node:os';
import { train } from '../../../training/trainer';
import { buildTrainOptions } from './options';
import type { FromHost, HostTrainEvent, ToHost } from './protocol';

interface ParentPort {
  postMessage(m: unknown): void;
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
}
const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

function send(m: FromHost): void {
  if (parentPort) parentPort.postMessage(m);
  else process.send?.(m);
}

function onMessage(cb: (m: ToHost) => void): void {
  if (parentPort) parentPort.on('message', (e) => cb(e.data as ToHost));
  else process.on('message', (m) => cb(m as ToHost));
}

try {
  os.setPriority(os.constants.priority.PRIORITY_LOW);
} catch {
  // not permitted here: the app lowers it from outside as well
}

const stop = new AbortController();
const pause = new AbortController();
let started = false;

async function run(job: Extract<ToHost, { type: 'start' }>['job']): Promise<void> {
  const options = await buildTrainOptions(job);
  send({ type: 'plan', steps: options.steps, minutes: options.minutes ?? null, valEvery: options.valEvery, checkpointEvery: options.checkpointEvery, batch: options.batch });
  const result = await train({
    ...options,
    signal: stop.signal,
    pause: pause.signal,
    onEvent: (event) => send({ type: 'event', event: event as unknown as HostTrainEvent }),
  });
  send({
    type: 'finished', paused: result.paused === true, adopted: result.adopted, bestPsnr: result.bestPsnr, basePsnr: result.basePsnr, steps: result.steps, out: result.out,
  });
}

onMessage((m) => {
  if (m.type === 'start' && !started) {
    started = true;
    run(m.job)
      .catch((e: unknown) => send({ type: 'failed', message: ((e as Error).message ?? String(e)).split('\n')[0] ?? 'failed' }))
      // Let the last message leave before exiting.
      .finally(() => setTimeout(() => process.exit(0), 100));
  } else if (m.type === 'pause') pause.abort();
  else if (m.type === 'cancel') {
    stop.abort();
    setTimeout(() => process.exit(0), 50);
  }
});
// The app went away (its IPC channel closed): stop at once; the checkpoint on disk stays.
process.on('disconnect', () => process.exit(0));
