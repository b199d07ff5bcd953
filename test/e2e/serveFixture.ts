// Fixture for end-to-end tests of the web bridge: builds the app (Node entries and renderer),
// prepares a temporary folder with photos, a batch folder (one corrupt file), tiny seeded models
// and a settings file, starts `restore serve` as a real child process and reads its URL from the
// first stdout line. Chromium is Debian's (/usr/bin/chromium) driven by playwright-core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { testDenoiser, testInpainter, testUpsampler, writeModelDir, type ModelDir, type TestModel } from '../../electron/engine/test/models';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const SAMPLES = path.resolve(ROOT, '..', 'shared', 'data', 'eval');

export interface ServeFixture {
  url: string;
  dir: string;
  photo: string;
  batchDir: string;
  models: ModelDir;
  stderr: () => string;
  close(): Promise<void>;
}

export function buildApp(): void {
  for (const [cmd, args] of [
    ['node', ['scripts/build.mjs']],
    ['npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error']],
  ] as const) {
    const r = spawnSync(cmd, [...args], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  }
}

/** A sample photo: the shared data's Set14 image when present, else a generated 512 x 512 gradient (the tests expect Set14's lenna size). */
async function samplePhoto(target: string, name: string): Promise<void> {
  const shared = path.join(SAMPLES, 'Set14', name);
  if (existsSync(shared)) return fs.copyFile(shared, target);
  const { default: sharp } = await import('sharp');
  const w = 512;
  const h = 512;
  const data = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set([(i % w) % 256, Math.floor(i / w) % 256, 128], i * 3);
  await sharp(data, { raw: { width: w, height: h, channels: 3 } }).png().toFile(target);
}

/**
 * `models`: more test models beside the denoiser, inpainter and 2x upsampler (e.g. testColorizer());
 * `modelDirs`: more model folders after those (e.g. the checkout's models/ for a trained model,
 * since the tests hide the app's own folder: vitest.config.ts).
 */
export async function startServe(opts: { batchFiles?: number; models?: TestModel[]; modelDirs?: string[] } = {}): Promise<ServeFixture> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-e2e-'));
  const photo = path.join(dir, 'photos', 'lenna.png');
  await fs.mkdir(path.dirname(photo), { recursive: true });
  await samplePhoto(photo, 'lenna.png');
  const batchDir = path.join(dir, 'batch');
  await fs.mkdir(path.join(batchDir, 'sub'), { recursive: true });
  const names = ['baboon.png', 'barbara.png', 'bridge.png', 'comic.png'];
  for (const [i, n] of names.entries()) await samplePhoto(path.join(batchDir, i === 3 ? 'sub' : '', n), n);
  await fs.writeFile(path.join(batchDir, 'broken.png'), 'this is not a PNG file');
  await fs.mkdir(path.join(dir, 'out'), { recursive: true });
  const many = path.join(dir, 'many');
  await fs.mkdir(many);
  for (let i = 0; i < (opts.batchFiles ?? 40); i++) await fs.copyFile(photo, path.join(many, `copy-${String(i).padStart(2, '0')}.png`));
  const models = await writeModelDir([testDenoiser(3, 6), testInpainter(), testUpsampler(2), ...(opts.models ?? [])]);

  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/restore.js', 'serve', '--allow', dir, '--models-dir', models.dir, ...(opts.modelDirs ?? []).flatMap((d) => ['--models-dir', d]), '--settings', path.join(dir, 'settings.json')],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`restore serve printed no URL within 30 s: ${err}`)), 30_000);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /^Listening on (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/.exec(line);
      if (m?.[1]) resolve(m[1]);
      else reject(new Error(`unexpected first line from restore serve: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`restore serve exited with ${code}: ${err}`)));
  });
  return {
    url,
    dir,
    photo,
    batchDir,
    models,
    stderr: () => err,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await models.cleanup();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
