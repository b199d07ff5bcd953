// TensorFlow.js with its WebAssembly backend, for the benchmark's ESRGAN comparison only:
// @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm are devDependencies, loaded at run time with
// require (the bench bundle keeps packages external, and `npm run bench` rows that do not compare
// never load them). threads > 1 uses the threaded SIMD build through wasmThreadsInNode.ts;
// threads = 1 is the backend as shipped (single-threaded SIMD in Node).
import { createRequire } from 'node:module';
import type * as Tfjs from '@tensorflow/tfjs';
import type * as TfjsWasm from '@tensorflow/tfjs-backend-wasm';
import { patchWasmThreadsForNode } from './wasmThreadsInNode';

export type Tf = typeof Tfjs;

export interface TfjsWasmBackend {
  tf: Tf;
  /** Threads XNNPACK really uses (the backend's getThreadsCount()). */
  threads: number;
  /** e.g. "tfjs-wasm 4.11.0 simd threads=2". */
  backend: string;
  /** Stops the pthread workers (they would keep the process alive) and removes temporary files. */
  dispose: () => void;
}

interface PthreadModule { PThread?: { terminateAllThreads?: () => void } }

export async function loadTfjsWasm(threads: number): Promise<TfjsWasmBackend> {
  const require = createRequire(import.meta.url);
  let tf: Tf, wasm: typeof TfjsWasm;
  try {
    tf = require('@tensorflow/tfjs') as Tf;
    wasm = require('@tensorflow/tfjs-backend-wasm') as typeof TfjsWasm;
  } catch (e) {
    throw new Error(`the ESRGAN comparison needs the devDependencies @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm (npm ci): ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  const patch = threads > 1 ? patchWasmThreadsForNode(threads) : null;
  try {
    if (patch) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasm.setThreadsCount(threads);
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to initialise (see the messages above)');
    await tf.ready();
  } catch (e) {
    patch?.cleanup();
    throw e;
  } finally {
    patch?.restoreCpus();
  }
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const actual = wasm.getThreadsCount();
  const module = (tf.backend() as unknown as { wasm?: PthreadModule }).wasm;
  return {
    tf,
    threads: actual,
    backend: `tfjs-wasm ${wasm.version_wasm}${simd ? ' simd' : ''}${patch ? ' threaded' : ''}`,
    dispose: () => {
      module?.PThread?.terminateAllThreads?.();
      patch?.cleanup();
    },
  };
}
