// Lets @tensorflow/tfjs-backend-wasm 4.11 run its threaded SIMD build (XNNPACK + pthreads) in
// Node, for the benchmark only. Out of the box the backend refuses threads in Node
// (flags_wasm.ts: WASM_HAS_MULTITHREAD_SUPPORT is false when IS_NODE, tfjs issue #3830,
// https://github.com/tensorflow/tfjs/issues/3830), and forcing the flag fails in three places:
//  1. the pthread worker script is handed to `new Worker()` as a `blob:` URL, which Node's
//     worker_threads rejects (ERR_WORKER_PATH): we record each Blob's text as it is built and
//     make URL.createObjectURL write it to a temporary .js file and return that path;
//  2. the worker then loads the main script from a Blob and evaluates the factory's source
//     outside the bundle's closure (require$$0.. of the rollup bundle, commonjsGlobal,
//     _scriptDir): the worker file gets a prelude that defines those and points createObjectURL
//     at the main script's file;
//  3. backend.cc caps the pool at emscripten_num_logical_cores() / 2 (os.cpus().length / 2 in
//     Node: 1 on a 2-core machine): os.cpus() reports 2 x the wanted threads while the module
//     initialises, and is restored right after.
// Measured effect and caveats: electron/bench/README.md ("ESRGAN comparison").
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Blob as NodeBlob, type BlobOptions } from 'node:buffer';
import os from 'node:os';
import path from 'node:path';

export interface WasmThreadsPatch {
  /** Restores os.cpus (call once the backend is initialised; the Blob/URL patches stay for later workers). */
  restoreCpus: () => void;
  /** Removes the temporary script files. */
  cleanup: () => void;
}

const MAIN_SCRIPT_PREFIX = 'var WasmBackendModuleThreadedSimd';

export function patchWasmThreadsForNode(threads: number): WasmThreadsPatch {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'restore-bench-wasm-'));
  const texts = new WeakMap<NodeBlob, string>();
  let mainScript: string | null = null;
  let fileCount = 0;

  type BlobParts = ConstructorParameters<typeof NodeBlob>[0];
  class RecordingBlob extends NodeBlob {
    constructor(parts: BlobParts = [], options?: BlobOptions) {
      super(parts, options);
      if (parts && parts.every((p) => typeof p === 'string')) {
        const text = (parts as string[]).join('');
        texts.set(this, text);
        if (text.startsWith(MAIN_SCRIPT_PREFIX)) {
          mainScript = path.join(dir, 'threaded-simd-main.js');
          writeFileSync(mainScript, text);
        }
      }
    }
  }
  globalThis.Blob = RecordingBlob;

  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (blob: NodeBlob): string => {
    const text = texts.get(blob);
    if (text === undefined) return createObjectURL(blob);
    if (!mainScript) throw new Error('tfjs-backend-wasm threads in Node: the worker script came before the main script (unexpected tfjs-backend-wasm version)');
    const prelude = [
      `URL.createObjectURL = () => ${JSON.stringify(mainScript)}; URL.revokeObjectURL = () => {};`,
      "global.require$$0 = require('fs'); global.require$$1 = require('path'); global.require$$3 = require('perf_hooks'); global.require$$4 = require('os');",
      `global.commonjsGlobal = global; global._scriptDir = ${JSON.stringify(mainScript)};`,
    ].join('\n');
    const file = path.join(dir, `worker-${fileCount++}.js`);
    writeFileSync(file, `${prelude}\n${text}`);
    return file;
  };

  const osModule = os as { cpus: typeof os.cpus };
  const cpus = osModule.cpus;
  osModule.cpus = () => {
    const real = cpus.call(os);
    return Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]!);
  };
  return {
    restoreCpus: () => void (osModule.cpus = cpus),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
