// Helpers of the CLI's end-to-end tests: build dist/ once, run `node bin/restore.js` as a child
// process (with a timeout, so a hang fails the test instead of stalling it), parse its --json
// event stream, make test images with sharp, hash files, and a temp models folder with the
// engine's small seeded test models (electron/engine/test/models.ts).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { testColorizer, testDenoiser, testInpainter, testUpsampler, writeModelDir, type ModelDir } from '../../electron/engine/test/models';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'restore.js');
/** XDG_DATA_HOME of the tested CLI: a folder that does not exist, so no user models leak in. */
export const NO_USER_MODELS = path.join(os.tmpdir(), 'restore-cli-tests-no-user-data');

export interface Event {
  type: string;
  [key: string]: unknown;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: Event[];
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Called for every --json event as it arrives (with the child, e.g. to kill something). */
  onEvent?: (e: Event, child: ChildProcess) => void;
  /** Called with all the stderr so far each time more arrives (e.g. to act once a message is printed). */
  onStderr?: (stderr: string, child: ChildProcess) => void;
  /** Own process group (so the test can kill the CLI and its engine together). */
  detached?: boolean;
}

export function restore(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, XDG_DATA_HOME: NO_USER_MODELS, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: opts.detached ?? false,
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const events: Event[] = [];
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      pending += d.toString();
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const e = JSON.parse(line) as Event;
        events.push(e);
        opts.onEvent?.(e, child);
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onStderr?.(stderr, child);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`restore ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 60_000} ms\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, events });
    });
  });
}

export const ofType = (events: Event[], type: string): Event[] => events.filter((e) => e.type === type);

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `restore-cli-${prefix}-`));
}

/** A smooth seeded test picture (gradients + pattern), RGB or gray, 8 or 16 bit. */
export async function writeImage(file: string, width: number, height: number, opts: { channels?: 1 | 3; depth?: 8 | 16 } = {}): Promise<void> {
  const channels = opts.channels ?? 3;
  const max = opts.depth === 16 ? 65535 : 255;
  const data = opts.depth === 16 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const v = 0.5 + 0.25 * Math.sin((x + 7 * c) / 9) + 0.2 * Math.cos((y - 5 * c) / 13);
        data[(y * width + x) * channels + c] = Math.round(Math.min(1, Math.max(0, v)) * max);
      }
    }
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  const img = sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels, ...(opts.depth === 16 ? { premultiplied: false } : {}) } });
  const typed = opts.depth === 16 ? img.toColourspace(channels === 1 ? 'grey16' : 'rgb16') : img;
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jpg' || ext === '.jpeg') await typed.jpeg({ quality: 92 }).toFile(file);
  else if (ext === '.tif' || ext === '.tiff') await typed.tiff().toFile(file);
  else await typed.png().toFile(file);
}

export async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await fs.readFile(file)).digest('hex');
}

/** Every file under dir (relative paths, sorted). */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  await walk(dir);
  return out.sort();
}

/** Temp models folder: color/gray denoisers, x2/x4 upsamplers, a colorizer, an inpainter. */
export function testModels(): Promise<ModelDir> {
  return writeModelDir([testDenoiser(3), testDenoiser(1), testUpsampler(2), testUpsampler(4), testColorizer(), testInpainter()]);
}

/** dist/bench.js with `args` as a child process; rejects (with code and stderr) on a non-zero exit. */
export function bench(args: string[], opts: { timeout?: number } = {}): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [path.join(ROOT, 'dist', 'bench.js'), ...args], opts);
}

/** Builds dist/ and installs the seeded test models for the calling test file; removed after it. */
export function useTestModels(): () => ModelDir {
  let models: ModelDir | undefined;
  beforeAll(async () => {
    models = await testModels();
  });
  afterAll(async () => {
    await models?.cleanup();
  });
  return () => {
    if (!models) throw new Error('test models are installed in beforeAll');
    return models;
  };
}
