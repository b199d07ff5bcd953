// The Batch view's runs stay inside the allowed folders through links, in both directions (issue
// 16): a file link inside an allowed input folder that leads outside is not read (no processed copy
// of the outside image lands in the allowed folder), and a subfolder of the output folder that is
// a symlink to an outside folder gets nothing written into it (nor replaced, skip-existing off).
// A folder holding no image is refused with what it does hold.
// The real API service and engine process (a small seeded denoiser) on real PNG photos.
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../engine/client';
import { testDenoiser, writeModelDir, type ModelDir } from '../engine/test/models';
import { FolderAccess } from './access';
import type { ApiEvent, Outcome } from './contract';
import { createApiService } from './service';
import { SettingsStore } from './settingsStore';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const workerPath = path.join(root, 'dist', 'engine-worker.js');
let dir: string;
let models: ModelDir;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'batch-confine-'));
  models = await writeModelDir([testDenoiser(3)]);
}, 60_000);
afterAll(async () => {
  await models?.cleanup();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** A small real photo (seeded noise on a flat colour), as PNG. */
async function photo(file: string, shade: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await sharp({ create: { width: 48, height: 32, channels: 3, background: { r: shade, g: 128, b: 255 - shade }, noise: { type: 'gaussian', mean: 0, sigma: 20 } } }).png().toFile(file);
}

/**
 * A scene under <dir>/<name>: `files` (relative path -> shade) written as photos, `links`
 * (relative link path -> relative target) made, `allowed/` the only folder the API may use.
 * Returns its root and a function that runs a batch through the API and returns its events.
 */
async function scene(name: string, files: Record<string, number>, links: Record<string, string>): Promise<{
  at: (p: string) => string; batch: (output: string, skipExisting: boolean) => Promise<ApiEvent[]>;
}> {
  const base = path.join(dir, name);
  const at = (p: string): string => path.join(base, p);
  await fs.mkdir(at('allowed/in'), { recursive: true });
  await fs.mkdir(at('allowed/out'), { recursive: true });
  await fs.mkdir(at('outside'), { recursive: true });
  for (const [f, shade] of Object.entries(files)) await photo(at(f), shade);
  for (const [link, target] of Object.entries(links)) await fs.symlink(at(target), at(link));
  const batch = async (output: string, skipExisting: boolean): Promise<ApiEvent[]> => {
    const access = new FolderAccess();
    await access.allow(at('allowed'));
    const service = createApiService({
      shell: 'web', version: '0.0.0-test', access, workspace: at('allowed/ws'),
      settings: new SettingsStore(at('settings.json')),
      modelFolders: [{ dir: models.dir, source: 'user' }],
      startEngine: (options) => EngineClient.start({ ...options, threads: 1, workerPath }),
      mediaUrl: (file, v) => `media?path=${encodeURIComponent(file)}&v=${v}`,
    });
    const events: ApiEvent[] = [];
    const done = new Promise<void>((resolve) => service.on((e) => { events.push(e); if (e.type === 'batch-done') resolve(); }));
    try {
      const started = (await service.call('startBatch', {
        jobId: `job-${name}`, inputs: [at('allowed/in')], output: at(output), recursive: true,
        steps: [{ task: 'denoise', sigma: 15 }], options: { format: 'same', keepMetadata: true }, skipExisting,
      })) as Outcome<unknown>;
      if (!started.ok) throw new Error(`${started.error.code}: ${started.error.message}`);
      await done;
    } finally {
      await service.close();
    }
    return events;
  };
  return { at, batch };
}

const failures = (events: ApiEvent[]): string[] => events.flatMap((e) => (e.type === 'batch-file' && e.status === 'failed' ? [e.error ?? ''] : []));
const summary = (events: ApiEvent[]): unknown => events.flatMap((e) => (e.type === 'batch-done' ? [e.summary] : []))[0];

describe('batch confinement through links', () => {
  it('does not read an outside file through a link inside an allowed input folder', async () => {
    const s = await scene('a', { 'allowed/in/ok.png': 40, 'outside/secret.png': 200 }, { 'allowed/in/leak.png': 'outside/secret.png' });
    const events = await s.batch('allowed/out', true);
    expect((await sharp(s.at('allowed/out/ok.png')).metadata()).width).toBe(48);
    expect(existsSync(s.at('allowed/out/leak.png'))).toBe(false);
    expect(failures(events)).toEqual([expect.stringMatching(/leak\.png: a link to a file outside the folders you allowed/)]);
    expect(summary(events)).toMatchObject({ done: 1, failed: 1 });
  }, 60_000);

  it('writes nothing through an output subfolder that links outside, nor replaces a file there', async () => {
    const s = await scene('b', { 'allowed/in/top.png': 40, 'allowed/in/sub/new.png': 80, 'allowed/in/sub/old.png': 120, 'outside/old.png': 200 }, { 'allowed/out/sub': 'outside' });
    const precious = await fs.readFile(s.at('outside/old.png'));
    const events = await s.batch('allowed/out', false);
    expect((await sharp(s.at('allowed/out/top.png')).metadata()).width).toBe(48);
    expect(existsSync(s.at('outside/new.png'))).toBe(false);
    expect(await fs.readFile(s.at('outside/old.png'))).toEqual(precious);
    const errors = failures(events);
    expect(errors).toHaveLength(2);
    for (const m of errors) expect(m).toMatch(/outside the folders you allowed/);
  }, 60_000);

  it('never writes through an output file that is a link', async () => {
    const s = await scene('c', { 'allowed/in/x.png': 40, 'outside/x.png': 200 }, { 'allowed/out/x.png': 'outside/x.png' });
    const precious = await fs.readFile(s.at('outside/x.png'));
    const events = await s.batch('allowed/out', false);
    expect(await fs.readFile(s.at('outside/x.png'))).toEqual(precious);
    expect(failures(events)).toEqual([expect.stringMatching(/is a symbolic link/)]);
  }, 60_000);
});

describe('a folder with no image', () => {
  it('is refused, saying what it holds and which formats are read', async () => {
    const s = await scene('d', {}, {});
    for (const f of ['scan1.psd', 'scan2.psd', 'notes.txt']) await fs.writeFile(s.at(`allowed/in/${f}`), 'x');
    await expect(s.batch('allowed/out', true)).rejects.toThrow(/in: no image files found: 3 files of other kinds: 2 \.psd, 1 \.txt \(readable: JPEG, PNG, TIFF, .*BMP\)/);
  }, 60_000);
});
