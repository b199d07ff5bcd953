// Fixture for end-to-end tests of the web bridge: builds the app (Node entries and renderer),
// prepares a temporary folder with photos, a batch folder (one corrupt file), tiny seeded models
// and a settings file, starts `restore serve` as a real child process (its user data folder, where
// results and the session are kept, inside the temporary folder) and reads its URL from the first
// stdout line; restart() stops it and starts it again on the same folders. Chromium is Debian's
// (/usr/bin/chromium) driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { testDenoiser, testInpainter, testUpsampler, writeModelDir, type ModelDir, type TestModel } from '../../electron/engine/test/models';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const SAMPLES = path.resolve(ROOT, '..', 'shared', 'data', 'eval');

export interface ServeFixture {
  url: string;
  dir: string;
  /** XDG_DATA_HOME of the server: kept results and the saved session are under restore-studio/. */
  dataHome: string;
  photo: string;
  batchDir: string;
  models: ModelDir;
  stderr: () => string;
  /** Stops the server (SIGTERM, as Ctrl-C) and starts it again; `url` is the new one. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Headless Chromium with one page open at `url` (1280 x 800 unless told; page errors printed). */
export async function openPage(url: string, viewport = { width: 1280, height: 800 }): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  return { browser, page };
}

/** Drops `file` on the Restore view's drop zone as the file manager would (a File in a DataTransfer). */
export async function dropPhoto(page: Page, file: string): Promise<void> {
  const bytes = (await fs.readFile(file)).toString('base64');
  // Runs in the page (DOM types are not part of the Node test program, hence the string).
  const dt = await page.evaluateHandle(`(() => {
    const data = Uint8Array.from(atob('${bytes}'), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], ${JSON.stringify(path.basename(file))}, { type: 'image/png' }));
    return transfer;
  })()`);
  await page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer: dt });
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

  const dataHome = path.join(dir, 'userdata');
  let err = '';
  const start = async (): Promise<{ child: ChildProcess; url: string }> => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['bin/restore.js', 'serve', '--allow', dir, '--models-dir', models.dir, ...(opts.modelDirs ?? []).flatMap((d) => ['--models-dir', d]), '--settings', path.join(dir, 'settings.json')],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_DATA_HOME: dataHome } },
    );
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
    return { child, url };
  };
  const stop = async (child: ChildProcess): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  let running = await start();
  const fixture: ServeFixture = {
    url: running.url,
    dir,
    dataHome,
    photo,
    batchDir,
    models,
    stderr: () => err,
    async restart() {
      await stop(running.child);
      running = await start();
      fixture.url = running.url;
    },
    async close() {
      await stop(running.child);
      await models.cleanup();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** openPage on the served app, once its empty Restore view is shown. */
export async function openApp(url: string, viewport?: { width: number; height: number }): Promise<{ browser: Browser; page: Page }> {
  const opened = await openPage(url, viewport);
  await opened.page.getByText('Drop a photo to restore').waitFor();
  return opened;
}

/** Clicks `button`, then in the web folder picker the folders `names` one after another, then "Choose this folder". */
export async function pickFolder(page: import('playwright-core').Page, button: string, ...names: string[]): Promise<void> {
  await page.getByRole('button', { name: button }).click();
  const dialog = page.getByRole('dialog');
  for (const name of names) await dialog.getByText(name, { exact: true }).click();
  await dialog.getByRole('button', { name: 'Choose this folder' }).click();
}

/**
 * Opens a photo through the in-app file browser: the Open button, then `root` and the folders of
 * `names` one after another, the file (the last name) and "Open"; waits until the view shows it
 * (the info line's tooltip is its path).
 */
export async function openFromPicker(page: Page, root: string, ...names: string[]): Promise<void> {
  await page.getByRole('button', { name: /^Open( photo…)?$/ }).first().click();
  const picker = page.getByRole('dialog', { name: 'Open an image' });
  for (const name of [root, ...names]) await picker.getByText(name, { exact: true }).click();
  await picker.getByRole('button', { name: 'Open', exact: true }).click();
  await expect.poll(() => page.getByTestId('image-info').getAttribute('title')).toBe(path.join(root, ...names));
}
