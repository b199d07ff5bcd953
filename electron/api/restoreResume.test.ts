// A full restore outlives the page that started it (issue 16 item 4, "work lost on reload"),
// through the real API service and engine process: while a slow restore runs, a listener that
// subscribes late (a reloaded page) hears its progress and its restore-finished event, getSession
// names the job the saved session was waiting for with its state (running, then done with the
// result restore() returned), getRestoreJob says the same; a failed one carries its error, previews
// and unknown ids are not kept.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDenoiser, writeModelDir, type ModelDir } from '../engine/test/models';
import { FolderAccess } from './access';
import type { ApiEvent, RestoreJobInfo, RestoreResult, RestoredSession, SessionStateInput } from './contract';
import type { ApiService } from './service';
import { callValue as value, testService } from './test/service';

let dir: string;
let models: ModelDir;
let photo: string;
let service: ApiService;

const off = { enabled: false, model: '', sigma: 'auto' as const, scale: 2 as const, tta: false, saturation: 1, autoMask: false };
const state = (job: string | null): SessionStateInput => ({
  version: 1,
  restore: { photo, chain: { inpaint: off, denoise: { ...off, enabled: true, sigma: 20, tta: true }, colorize: off, upscale: off }, points: [], result: null, job },
  batch: { inputs: [], output: '', recursive: true, skipExisting: true, chain: { inpaint: off, denoise: off, colorize: off, upscale: off }, format: 'png', depth: 8, last: null },
});

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-resume-'));
  await fs.mkdir(path.join(dir, 'photos'));
  const workspace = path.join(dir, 'ws');
  await fs.mkdir(workspace);
  photo = path.join(dir, 'photos', 'big.png');
  // Big enough, with the 8-fold self-ensemble, to be still running when the test looks.
  const w = 1536;
  const h = 1024;
  const data = Buffer.alloc(w * h * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 251;
  await sharp(data, { raw: { width: w, height: h, channels: 3 } }).png().toFile(photo);
  models = await writeModelDir([testDenoiser(3)]);
  const access = new FolderAccess();
  await access.allow(path.join(dir, 'photos'));
  await access.allow(workspace);
  service = testService({ access, workspace, settingsFile: path.join(dir, 'settings.json'), modelDir: models.dir }, { dataDir: path.join(dir, 'data') });
});
afterAll(async () => {
  await service?.close();
  await models?.cleanup();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('a full restore re-attached after a page reload', () => {
  it('is named by getSession and getRestoreJob while it runs and when done; a late listener hears its end', async () => {
    // The first page starts the restore and saves the session with its job id.
    const running = value<RestoreResult>(service, 'restore', { jobId: 'full-1', input: photo, steps: [{ task: 'denoise', sigma: 20, tta: true }] });
    await value(service, 'saveSession', { state: state('full-1') });
    // The reloaded page: subscribes after the job began, and waits for progress of that job.
    const events: ApiEvent[] = [];
    service.on((e) => events.push(e));
    await expect.poll(() => events.some((e) => e.type === 'restore-progress' && e.jobId === 'full-1'), { timeout: 60_000, interval: 20 }).toBe(true);
    const back = await value<RestoredSession>(service, 'getSession');
    expect(back.state?.restore.job).toBe('full-1');
    expect(back.restoreJob).toMatchObject({ jobId: 'full-1', input: photo, state: 'running', steps: 1 });
    expect(back.restoreJob?.result).toBeUndefined();
    expect((await value<RestoreJobInfo>(service, 'getRestoreJob', { jobId: 'full-1' })).state).toBe('running');

    const made = await running;
    const finished = events.find((e): e is Extract<ApiEvent, { type: 'restore-finished' }> => e.type === 'restore-finished' && e.job.jobId === 'full-1');
    expect(finished?.job).toMatchObject({ state: 'done', fraction: 1 });
    expect(finished?.job.result).toEqual(made);
    // Finished while the page was away: getSession has the result at once.
    const later = await value<RestoredSession>(service, 'getSession');
    expect(later.restoreJob).toMatchObject({ jobId: 'full-1', state: 'done' });
    expect(later.restoreJob?.result?.image.path).toBe(made.image.path);
    expect((await value<RestoreJobInfo>(service, 'getRestoreJob', { jobId: 'full-1' })).result).toEqual(made);
  });

  it('keeps a failed job with its error; previews, unknown ids and a session without a job name none', async () => {
    const failed = await service.call('restore', { jobId: 'full-bad', input: photo, steps: [{ task: 'denoise', model: 'no-such-model', sigma: 20 }] });
    expect(failed.ok).toBe(false);
    const info = await value<RestoreJobInfo>(service, 'getRestoreJob', { jobId: 'full-bad' });
    expect(info).toMatchObject({ state: 'failed', input: photo });
    expect(info.error).toMatch(/no-such-model/);

    await value<RestoreResult>(service, 'restore', { jobId: 'quick-1', input: photo, steps: [{ task: 'denoise', sigma: 20 }], preview: { maxSide: 256 } });
    expect(await value(service, 'getRestoreJob', { jobId: 'quick-1' })).toBeNull();
    expect(await value(service, 'getRestoreJob', { jobId: 'never-ran' })).toBeNull();

    await value(service, 'saveSession', { state: state('never-ran') });
    expect((await value<RestoredSession>(service, 'getSession')).restoreJob).toBeNull();
    await value(service, 'saveSession', { state: state(null) });
    expect('restoreJob' in (await value<RestoredSession>(service, 'getSession'))).toBe(false);
  });
});
