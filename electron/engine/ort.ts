// The only module that imports onnxruntime-node. Sessions are cached per (model path, provider,
// threads); the model file's sha256 is checked (injected verifier: the registry's verifyModelFile)
// before a session is created; the provider list follows the fixed fallback order of
// providers.ts; feeds are checked against session.inputNames; input/output shapes are logged when
// a run fails; outputs are written into pre-allocated tensors when their shape is known (ORT
// then skips its own output allocation); release() frees native memory.
import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { executionProviders } from './providers';
import type { ManifestEntry } from '../../models/manifest';
import type { ActiveProvider } from './protocol';
import type { TensorData } from './tiling';

// ORT's own logger writes failed provider probes (e.g. a missing CUDA library, which we catch and
// report as a fallback reason) to stderr; keep it quiet unless RESTORE_ORT_LOG asks for more.
const ORT_LEVELS = ['verbose', 'info', 'warning', 'error', 'fatal'] as const;
const wantedLevel = ORT_LEVELS.find((l) => l === process.env.RESTORE_ORT_LOG);
ort.env.logLevel = wantedLevel ?? 'fatal';

export type Logger = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface SessionPoolOptions {
  provider: ActiveProvider;
  threads: number;
  /** Checks the model file before a session is created (the registry's sha256 check). */
  verify?: (entry: ManifestEntry, path: string) => Promise<void>;
  log?: Logger;
  /** Sessions kept loaded; the least recently used beyond this are released (default 6). */
  maxSessions?: number;
}

function sessionOptions(provider: ActiveProvider, threads: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: executionProviders(provider),
    intraOpNumThreads: Math.max(1, threads),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    logSeverityLevel: 3,
  };
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const stripAnsi = (s: string): string => s.replace(ANSI, '');

/** One loaded model. */
export class ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private released = false;

  constructor(
    private readonly session: ort.InferenceSession,
    readonly path: string,
    private readonly log: Logger,
  ) {
    this.inputNames = session.inputNames;
    this.outputNames = session.outputNames;
  }

  /**
   * Runs the model and returns its (single, or named) output. `outputDims`, when known, lets ORT
   * write straight into a pre-allocated tensor: `outputBuffer` when its size fits (a caller that
   * is done with the previous result, like the tiler, reuses one buffer for every tile), else a
   * new one.
   */
  async run(feeds: Record<string, TensorData>, opts: { output?: string; outputDims?: number[]; outputBuffer?: Float32Array } = {}): Promise<TensorData> {
    if (this.released) throw new Error(`${this.path}: session already released`);
    const names = Object.keys(feeds);
    const missing = this.inputNames.filter((n) => !names.includes(n));
    const unknown = names.filter((n) => !this.inputNames.includes(n));
    if (missing.length || unknown.length) {
      throw new Error(
        `${this.path}: model inputs are [${this.inputNames.join(', ')}], got [${names.join(', ')}]` +
          (missing.length ? ` (missing ${missing.join(', ')})` : ''),
      );
    }
    const outName = opts.output ?? this.outputNames[0]!;
    if (!this.outputNames.includes(outName)) {
      throw new Error(`${this.path}: model has no output "${outName}" (outputs: ${this.outputNames.join(', ')})`);
    }
    const tensors: Record<string, ort.Tensor> = {};
    for (const [n, t] of Object.entries(feeds)) tensors[n] = new ort.Tensor('float32', t.data, t.dims);
    try {
      if (opts.outputDims) {
        const size = opts.outputDims.reduce((a, b) => a * b, 1);
        const buffer = opts.outputBuffer?.length === size ? opts.outputBuffer : new Float32Array(size);
        const out = new ort.Tensor('float32', buffer, opts.outputDims);
        await this.session.run(tensors, { [outName]: out });
        return { data: out.data as Float32Array, dims: [...out.dims] };
      }
      const res = await this.session.run(tensors, [outName]);
      const out = res[outName]!;
      return { data: out.data as Float32Array, dims: [...out.dims] };
    } catch (e) {
      const shapes = Object.entries(feeds)
        .map(([n, t]) => `${n}[${t.dims.join('x')}]`)
        .join(' ');
      const msg = stripAnsi(e instanceof Error ? e.message : String(e));
      this.log('error', `${this.path}: run failed with inputs ${shapes}${opts.outputDims ? ` -> ${outName}[${opts.outputDims.join('x')}]` : ''}: ${msg}`);
      throw new Error(`${this.path}: inference failed (inputs ${shapes}): ${msg.split('\n')[0]}`, { cause: e });
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}

/** Session cache for one engine process. */
export class SessionPool {
  private readonly cache = new Map<string, Promise<ModelSession>>();
  private readonly log: Logger;

  constructor(private readonly opts: SessionPoolOptions) {
    this.log = opts.log ?? (() => undefined);
  }

  get provider(): ActiveProvider {
    return this.opts.provider;
  }

  /** Cached session for a model file (created after the file is verified against its manifest entry). */
  get(path: string, entry?: ManifestEntry): Promise<ModelSession> {
    // the sha256 is part of the key: a model file replaced by a retrained one gets a new session
    const key = `${path}\u0000${entry?.sha256 ?? ''}\u0000${this.opts.provider}\u0000${this.opts.threads}`;
    let s = this.cache.get(key);
    if (s) {
      this.cache.delete(key); // re-insert: Map order is the LRU order
      this.cache.set(key, s);
    } else {
      s = (async () => {
        if (entry && this.opts.verify) await this.opts.verify(entry, path);
        try {
          const session = await ort.InferenceSession.create(path, sessionOptions(this.opts.provider, this.opts.threads));
          this.log('info', `loaded ${path} on ${this.opts.provider} (${this.opts.threads} threads)`);
          return new ModelSession(session, path, this.log);
        } catch (e) {
          throw new Error(`${path}: cannot load model: ${stripAnsi(e instanceof Error ? e.message : String(e)).split('\n')[0]}`, {
            cause: e,
          });
        }
      })();
      s.catch(() => this.cache.delete(key));
      this.cache.set(key, s);
      this.evict();
    }
    return s;
  }

  /** Number of cached sessions. */
  get size(): number {
    return this.cache.size;
  }

  private evict(): void {
    const max = this.opts.maxSessions ?? 6;
    for (const [key, p] of this.cache) {
      if (this.cache.size <= max) break;
      this.cache.delete(key);
      p.then((m) => m.release()).catch(() => undefined);
    }
  }

  async releaseAll(): Promise<void> {
    const all = [...this.cache.values()];
    this.cache.clear();
    for (const p of all) {
      try {
        await (await p).release();
      } catch {
        // a session that failed to load has nothing to release
      }
    }
  }
}

let probeModel: Uint8Array | undefined;

/** A one-node Identity model used to find out whether an execution provider loads. */
function identityModel(): Uint8Array {
  if (!probeModel) {
    const onnx = onnxProto.onnx;
    const vi = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }] } } } });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: { name: 'probe', node: [{ opType: 'Identity', input: ['x'], output: ['y'] }], input: [vi('x')], output: [vi('y')] },
    });
    probeModel = onnx.ModelProto.encode(model).finish();
  }
  return probeModel;
}

/** Throws (with ORT's reason) when a session cannot be created on this provider alone. */
export async function probeProvider(provider: ActiveProvider): Promise<void> {
  if (provider === 'cpu') return;
  const ep = provider === 'cuda' ? 'cuda' : 'dml';
  const session = await ort.InferenceSession.create(identityModel(), { executionProviders: [ep], logSeverityLevel: 4 }).catch(
    (e: unknown) => {
      throw new Error(stripAnsi(e instanceof Error ? e.message : String(e)), { cause: e });
    },
  );
  await session.release();
}
