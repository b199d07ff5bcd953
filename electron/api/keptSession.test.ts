// Work kept across a server restart (issue 16 item 4), through the real API service, the real
// engine process (ONNX Runtime, a seeded test denoiser) and real files: a restored result, the
// open photo (also one dropped into the page: a workspace upload whose workspace is deleted with
// the server), the chain, colour points and painted mask come back from a second `restore serve`
// session on the same user data folder, and the result still exports with its processing record.
// The kept results are bounded: past the cap exported ones go first, then the oldest, never the
// one the session shows. An unreadable session file is set aside and the app starts empty.
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDenoiser, writeModelDir, type ModelDir } from '../engine/test/models';
import { readProcessingRecord } from '../imageio/probe';
import { startSession, type BridgeSession } from '../bridge/session';
import { FolderAccess } from './access';
import type { ImageInfo, KeptResultsInfo, RestoreResult, RestoredSession, SessionStateInput } from './contract';
import type { ApiService } from './service';
import { WORKER_PATH as workerPath, callValue as value, testService } from './test/service';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let dir: string;
let models: ModelDir;
let photo: string;

const pixels = async (file: string): Promise<Buffer> => sharp(file).raw().toBuffer();
const chain = (sigma: number) => {
  const off = { enabled: false, model: '', sigma: 'auto' as const, scale: 2 as const, tta: false, saturation: 1, autoMask: false };
  return { inpaint: off, denoise: { ...off, enabled: true, sigma }, colorize: { ...off, saturation: 1.4 }, upscale: off };
};
function state(photoPath: string | null, result: string | null): SessionStateInput {
  return {
    version: 1,
    restore: { photo: photoPath, chain: chain(20), points: [{ id: 1, x: 10, y: 12, color: '#3a6fb0' }], result, mode: 'side' },
    batch: { inputs: [path.join(dir, 'photos')], output: path.join(dir, 'out'), recursive: true, skipExisting: true, chain: chain(5), format: 'png', depth: 8, last: null },
  };
}
const session = (dataDir: string): Promise<BridgeSession> =>
  startSession({ appRoot: root, allow: [dir], modelDirs: [models.dir], settingsFile: path.join(dir, 'settings.json'), workerPath, staticDir: path.join(dir, 'no-ui'), dataDir });

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kept-session-'));
  await fs.mkdir(path.join(dir, 'photos'));
  await fs.mkdir(path.join(dir, 'out'));
  photo = path.join(dir, 'photos', 'photo.png');
  const w = 96;
  const h = 64;
  const data = Buffer.alloc(w * h * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 251;
  await sharp(data, { raw: { width: w, height: h, channels: 3 } }).png().toFile(photo);
  models = await writeModelDir([testDenoiser(3)]);
});
afterAll(async () => {
  await models?.cleanup();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('kept results and the saved session across a server restart', () => {
  it('brings back the photo, result, chain, points and mask, and the result exports with its record', async () => {
    const dataDir = path.join(dir, 'data-restart');
    const first = await session(dataDir);
    const opened = await value<ImageInfo>(first.service, 'openImage', { path: photo });
    const made = await value<RestoreResult>(first.service, 'restore', { jobId: 'r1', input: opened.path, steps: [{ task: 'denoise', sigma: 20 }] });
    expect(made.image.path.startsWith(path.join(dataDir, 'results'))).toBe(true);
    const before = await pixels(made.image.path);
    const mask = (await sharp({ create: { width: 96, height: 64, channels: 3, background: '#000' } }).composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="96" height="64"><rect x="10" y="10" width="20" height="5" fill="#fff"/></svg>') }]).png().toBuffer()).toString('base64');
    await value(first.service, 'saveSession', { state: state(opened.path, made.image.path), mask });
    const workspace = first.workspace;
    await first.close();
    expect(existsSync(workspace)).toBe(false); // the temporary workspace is gone with the server

    const second = await session(dataDir);
    try {
      const back = await value<RestoredSession>(second.service, 'getSession');
      expect(back.notices).toEqual([]);
      expect(back.photo?.path).toBe(photo);
      expect(back.result?.image.path).toBe(made.image.path);
      expect(back.result?.steps).toEqual(made.steps);
      expect(back.result?.image.url).toMatch(/^media\?path=/);
      expect((await pixels(back.result!.image.path)).equals(before)).toBe(true);
      expect(back.mask).toBe(mask);
      expect(back.state?.restore.chain).toEqual(chain(20));
      expect(back.state?.restore.points).toEqual([{ id: 1, x: 10, y: 12, color: '#3a6fb0' }]);
      expect(back.state?.restore.mode).toBe('side');
      expect(back.state?.batch.chain.denoise.sigma).toBe(5);
      // Exported after the restart: its processing record says what made it (kept in the sidecar).
      const out = path.join(dir, 'out', 'exported.png');
      await value(second.service, 'exportImage', { source: back.result!.image.path, original: photo, output: out, options: { format: 'png' } });
      expect((await readProcessingRecord(out))?.steps).toMatch(/^denoise:test-denoise-color\(sigma=20/);
      expect(await value<KeptResultsInfo>(second.service, 'getKeptResults')).toMatchObject({ count: 1, unexported: 0, dir: path.join(dataDir, 'results') });
    } finally {
      await second.close();
    }
  });

  it('keeps a copy of a photo dropped into the page, whose upload goes with the workspace', async () => {
    const dataDir = path.join(dir, 'data-upload');
    const first = await session(dataDir);
    const upload = await first.service.files.uploadTarget('dropped photo.png');
    await fs.copyFile(photo, upload);
    await first.service.files.originals.add(upload);
    await value(first.service, 'saveSession', { state: state(upload, null) });
    await first.close();
    expect(existsSync(upload)).toBe(false);

    const second = await session(dataDir);
    try {
      const back = await value<RestoredSession>(second.service, 'getSession');
      expect(back.notices).toEqual([]);
      expect(back.photo?.name).toBe('dropped photo.png');
      expect(back.photo?.path.startsWith(path.join(dataDir, 'session'))).toBe(true);
      expect((await pixels(back.photo!.path)).equals(await pixels(photo))).toBe(true);
      // The kept copy is an original: an export never writes over it.
      const r = await second.service.call('exportImage', { source: photo, original: back.photo!.path, output: back.photo!.path, options: { format: 'png' }, ifExists: 'replace' });
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      await second.close();
    }
  });

  it('says what is gone: a moved photo, a cleared result; an unreadable session file is set aside', async () => {
    const dataDir = path.join(dir, 'data-gone');
    const moved = path.join(dir, 'photos', 'moved.png');
    await fs.copyFile(photo, moved);
    const first = await session(dataDir);
    const made = await value<RestoreResult>(first.service, 'restore', { jobId: 'g1', input: photo, steps: [{ task: 'denoise', sigma: 10 }] });
    await value(first.service, 'saveSession', { state: state(photo, made.image.path) });
    await value(first.service, 'clearKeptResults');
    expect(existsSync(made.image.path)).toBe(false);
    let back = await value<RestoredSession>(first.service, 'getSession');
    expect(back.photo?.path).toBe(photo);
    expect(back.result).toBeNull();
    expect(back.notices.join(' ')).toMatch(/no longer kept/);
    await value(first.service, 'saveSession', { state: state(moved, null) });
    await fs.rm(moved);
    back = await value<RestoredSession>(first.service, 'getSession');
    expect(back.photo).toBeNull();
    expect(back.notices.join(' ')).toMatch(/could not be opened again: .*moved\.png/);
    await first.close();

    const sessionFile = path.join(dataDir, 'session', 'session.json');
    await fs.writeFile(sessionFile, '{"version": 1, "restore": tru');
    const second = await session(dataDir);
    try {
      back = await value<RestoredSession>(second.service, 'getSession');
      expect(back.state).toBeNull();
      expect(back.notices.join(' ')).toMatch(/could not be read .*starting with an empty one/);
      const aside = (await fs.readdir(path.join(dataDir, 'session'))).filter((n) => n.startsWith('session.unreadable-'));
      expect(aside).toHaveLength(1);
      expect(await fs.readFile(path.join(dataDir, 'session', aside[0]!), 'utf8')).toBe('{"version": 1, "restore": tru');
    } finally {
      await second.close();
    }
  });
});

describe('the bound of the kept results', () => {
  let service: ApiService;
  const restore = (jobId: string): Promise<RestoreResult> => value<RestoreResult>(service, 'restore', { jobId, input: photo, steps: [{ task: 'denoise', sigma: 15 }] });

  afterAll(async () => service?.close());

  it('removes exported results first, then the oldest, never the one the session shows, and says so', async () => {
    const make = async (cap?: number): Promise<ApiService> => {
      const access = new FolderAccess();
      const workspace = path.join(dir, `ws-cap-${cap ?? 0}`);
      await access.allow(dir);
      return testService(
        { access, workspace, settingsFile: path.join(dir, 'settings.json'), modelDir: models.dir },
        { dataDir: path.join(dir, `data-size-${cap ?? 0}`), ...(cap !== undefined ? { keptResultsCapBytes: cap } : {}) },
      );
    };
    // One result's size (the same photo and steps make the same file).
    service = await make();
    const size = (await fs.stat((await restore('size')).image.path)).size;
    await service.close();
    service = await make(Math.floor(size * 3.5));

    const [r1, r2, r3] = [await restore('c1'), await restore('c2'), await restore('c3')];
    expect((await value<KeptResultsInfo>(service, 'getKeptResults')).count).toBe(3);
    await value(service, 'exportImage', { source: r2.image.path, original: photo, output: path.join(dir, 'out', 'c2.png'), options: { format: 'png' } });
    const r4 = await restore('c4');
    expect(r4.note).toBeUndefined(); // the exported one made room
    expect([r1, r2, r3, r4].map((r) => existsSync(r.image.path))).toEqual([true, false, true, true]);
    const r5 = await restore('c5');
    expect(r5.note).toMatch(/1 older result not yet exported was removed/);
    expect([r1, r3, r4, r5].map((r) => existsSync(r.image.path))).toEqual([false, true, true, true]);
    // The session shows r3, the oldest now: r4 goes instead.
    await value(service, 'saveSession', { state: state(photo, r3.image.path) });
    const r6 = await restore('c6');
    expect([r3, r4, r5, r6].map((r) => existsSync(r.image.path))).toEqual([true, false, true, true]);
    const kept = await value<KeptResultsInfo>(service, 'getKeptResults');
    expect(kept).toMatchObject({ count: 3, unexported: 3, capBytes: Math.floor(size * 3.5) });
    expect(kept.bytes).toBeLessThanOrEqual(kept.capBytes);
    expect(await value<KeptResultsInfo>(service, 'clearKeptResults')).toMatchObject({ count: 0, bytes: 0 });
  });
});
