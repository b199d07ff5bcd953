// The Training view's calls against the real training host (dist/training-host.js, forked at low
// priority) with a tiny seeded denoiser and a few CBSD68 photos: the folder scan refuses a
// collection too small to hold photos out, counts black-and-white and toned prints (real LoC ones)
// and refuses Colourize on too few colour photos; a run killed with SIGKILL mid-training comes back
// 'interrupted' after an "app restart" (a new service on the same training folder) and resumes
// from its last checkpoint, losing at most the steps since; pause checkpoints and stops the
// process; a finished run is adopted into the user's model folder with its lineage, becomes the
// default in place of its base, is renamed, rolled back and removed.
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderAccess } from '../access';
import type { ApiEvent, CallName, CallResultOf, TrainingJobInfo } from '../contract';
import { createApiService, type ApiService } from '../service';
import { SettingsStore } from '../settingsStore';
import type { HostedEngine } from '../engineHost';
import { testColorizer, testDenoiser, writeModelDir, type ModelDir } from '../../engine/test/models';
import sharp from 'sharp';
import { readCheckpointStep } from '../../../training/checkpoint';
import { forkTrainingHost, type TrainingChannel } from './channel';

const PHOTOS = '/work/shared/data/eval/CBSD68'; // as the other tests, wherever the checkout is
/** Real old prints (black-and-white). */
const PRINTS = '/work/shared/data/eval/old/LoC';
const have = existsSync(PHOTOS) && existsSync(PRINTS);
/** Tiny runs: 16-px patches, 2 per step, a checkpoint every 3 steps. */
const OVERRIDES = { steps: 30, patch: 64, batch: 1, valEvery: 6, checkpointEvery: 3, patience: 0, warmup: 0, lr: 1e-3, threads: 1 };

describe.skipIf(!have)('training jobs (real host process)', () => {
  let tmp: string;
  let models: ModelDir;
  let photos: string;
  const channels: TrainingChannel[] = [];
  const services: ApiService[] = [];

  const makeService = (): { service: ApiService; events: ApiEvent[] } => {
    const events: ApiEvent[] = [];
    const service = createApiService({
      shell: 'web', version: 'test', access: new FolderAccess([tmp]), workspace: path.join(tmp, 'ws'),
      settings: new SettingsStore(path.join(tmp, 'settings.json')),
      modelFolders: [{ dir: path.join(tmp, 'no-app-models'), source: 'app' }, { dir: models.dir, source: 'user' }],
      startEngine: () => Promise.reject(new Error('no engine in this test')) as Promise<HostedEngine>,
      mediaUrl: (f, v) => `media?path=${encodeURIComponent(f)}&v=${v}`,
      trainingDir: path.join(tmp, 'training'),
      startTrainingHost: () => {
        const ch = forkTrainingHost();
        channels.push(ch);
        return ch;
      },
      trainingOverrides: OVERRIDES,
    });
    service.on((e) => events.push(e));
    services.push(service);
    return { service, events };
  };
  const call = async <N extends CallName>(s: ApiService, name: N, args: unknown): Promise<CallResultOf<N>> => {
    const out = await s.call(name, args);
    if (!out.ok) throw new Error(out.error.message);
    return out.value as CallResultOf<N>;
  };
  const waitFor = async (events: ApiEvent[], pred: (e: ApiEvent) => boolean, ms = 90_000): Promise<ApiEvent> => {
    const t0 = Date.now();
    for (;;) {
      const hit = events.find(pred);
      if (hit) return hit;
      const failed = events.find((e) => e.type === 'training-failed');
      if (failed) throw new Error(`training failed: ${JSON.stringify(failed)}`);
      if (Date.now() - t0 > ms) throw new Error(`timed out; last events: ${JSON.stringify(events.slice(-3))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'restore-training-')));
    models = await writeModelDir([testDenoiser(3, 4), testColorizer()]);
    photos = path.join(tmp, 'photos');
    await fs.mkdir(path.join(photos, 'sub'), { recursive: true });
    const names = (await fs.readdir(PHOTOS)).filter((n) => n.endsWith('.png')).slice(0, 6);
    for (const [i, n] of names.entries()) await fs.copyFile(path.join(PHOTOS, n), path.join(photos, i === 5 ? 'sub' : '', n));
    await fs.mkdir(path.join(tmp, 'few'));
    for (const n of names.slice(0, 3)) await fs.copyFile(path.join(PHOTOS, n), path.join(tmp, 'few', n));
    // Old prints: four black-and-white ones, a sepia-toned copy of a colour photo and one colour photo.
    await fs.mkdir(path.join(tmp, 'prints'));
    for (const n of (await fs.readdir(PRINTS)).sort().slice(0, 4)) await fs.copyFile(path.join(PRINTS, n), path.join(tmp, 'prints', n));
    await sharp(path.join(PHOTOS, names[0]!)).tint({ r: 112, g: 66, b: 20 }).png().toFile(path.join(tmp, 'prints', 'sepia.png'));
    await fs.copyFile(path.join(PHOTOS, names[1]!), path.join(tmp, 'prints', names[1]!));
  });

  afterAll(async () => {
    for (const s of services) await s.close();
    for (const ch of channels) ch.kill('SIGKILL');
    await models?.cleanup();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('counts photos and megapixels, and refuses a collection too small to hold some out', async () => {
    const { service } = makeService();
    const scan = await call(service, 'scanTrainingFolders', { folders: [photos] });
    expect(scan.photos).toBe(6);
    expect(scan.megapixels).toBeGreaterThan(0.8);
    expect(scan.tooSmall).toBeUndefined();
    const few = await call(service, 'scanTrainingFolders', { folders: [path.join(tmp, 'few')] });
    expect(few.tooSmall).toMatch(/^Only 3 photos found in .*few: at least 4 are needed/);
    const refused = await service.call('startTraining', { task: 'denoise', base: 'test-denoise-color', folders: [path.join(tmp, 'few')], budget: { untilNoGain: true } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const outside = await service.call('scanTrainingFolders', { folders: ['/etc'] });
    expect(outside).toMatchObject({ ok: false, error: { code: 'forbidden', message: '/etc: outside the folders you allowed' } });
    expect(scan.monochrome).toEqual({ count: 0, measured: 6 });
    expect(scan.tooFewColour).toBeUndefined();
    // Colourize learns from colour photos: black-and-white and toned prints are counted, and too few colour ones refused.
    const prints = await call(service, 'scanTrainingFolders', { folders: [path.join(tmp, 'prints')] });
    expect([prints.photos, prints.monochrome.count, prints.monochrome.measured]).toEqual([6, 5, 6]);
    expect(prints.tooSmall).toBeUndefined();
    expect(prints.tooFewColour).toMatch(/^Colourize learns from colour photos, and all but 1 of the 6 photos in .*prints are black-and-white or toned: add a folder of at least 4 colour photos/);
    const gray = await service.call('startTraining', { task: 'colorize', base: 'test-colorize', folders: [path.join(tmp, 'prints')], budget: { untilNoGain: true } });
    expect(gray).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: prints.tooFewColour } });
    const wrongTask = await service.call('startTraining', { task: 'upscale', base: 'test-denoise-color', folders: [photos], budget: { untilNoGain: true } });
    expect(wrongTask).toMatchObject({ ok: false, error: { message: 'test-denoise-color: is a denoise model, not a upscale model' } });
  });

  it('resumes after the host is killed mid-training, losing at most the steps since the last checkpoint', async () => {
    const { service, events } = makeService();
    const job = await call(service, 'startTraining', { task: 'denoise', base: 'test-denoise-color', folders: [photos], budget: { untilNoGain: true }, name: 'Kill test' });
    expect(job.state).toBe('starting');
    // One training at a time.
    const second = await service.call('startTraining', { task: 'denoise', base: 'test-denoise-color', folders: [photos], budget: { untilNoGain: true } });
    expect(second).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    await waitFor(events, (e) => e.type === 'training-checkpoint' && e.step >= 6);
    await waitFor(events, (e) => e.type === 'training-step' && e.step >= 8);
    const ch = channels[channels.length - 1]!;
    process.kill(ch.pid!, 'SIGKILL');
    await waitFor(events, (e) => e.type === 'training-state' && e.state === 'interrupted');
    const before = (await call(service, 'getTraining', {}))!;
    const lastStep = before.step;
    const checkpoint = before.lastCheckpoint!;
    expect(checkpoint).toBeGreaterThanOrEqual(6);
    // Killed between writing a checkpoint and reporting it, the job still knows the step on disk.
    expect(await readCheckpointStep(path.join(tmp, 'training', job.jobId, 'checkpoint.ckpt'))).toBe(checkpoint);
    expect(lastStep - checkpoint).toBeLessThanOrEqual(OVERRIDES.checkpointEvery);

    // The app restarts: a new service on the same training folder finds the job interrupted.
    await service.close();
    const restarted = makeService();
    const found = (await call(restarted.service, 'getTraining', {}))!;
    expect(found).toMatchObject({ jobId: job.jobId, state: 'interrupted', lastCheckpoint: checkpoint });
    expect(found.losses.length).toBeGreaterThan(0);
    await call(restarted.service, 'resumeTraining', { jobId: job.jobId });
    const first = (await waitFor(restarted.events, (e) => e.type === 'training-step')) as Extract<ApiEvent, { type: 'training-step' }>;
    expect(first.step).toBe(checkpoint + 1);
    const done = (await waitFor(restarted.events, (e) => e.type === 'training-done')) as Extract<ApiEvent, { type: 'training-done' }>;
    const info = (await call(restarted.service, 'getTraining', {}))!;
    expect(info.state).toBe('finished');
    expect(info.step).toBe(OVERRIDES.steps);
    expect(info.validations.length).toBeGreaterThan(0);
    expect(info.split?.heldOut.length).toBeGreaterThan(0);

    if (!done.canAdopt) {
      expect(done.reason).toBeTruthy();
      await expect(call(restarted.service, 'adoptTrainedModel', { jobId: job.jobId, name: 'Mine' })).rejects.toThrow(/adoptTrainedModel: /);
      return;
    }
    const adopted = await call(restarted.service, 'adoptTrainedModel', { jobId: job.jobId, name: 'My grain' });
    expect(adopted).toMatchObject({ id: 'my-grain', name: 'My grain', source: 'user', task: 'denoise', defaultFor: 'test-denoise-color' });
    expect(adopted.lineage).toMatchObject({ base: 'test-denoise-color', data: photos });
    expect(existsSync(path.join(models.dir, 'my-grain.onnx'))).toBe(true);
    expect(await fs.readFile(path.join(models.dir, 'cards', 'my-grain.md'), 'utf8')).toMatch(/My grain/);
    const listed = await call(restarted.service, 'listModels', {});
    expect(listed.find((m) => m.id === 'my-grain')?.defaultFor).toBe('test-denoise-color');
    expect((await call(restarted.service, 'getTraining', {}))!.adopted).toBe('my-grain');

    expect((await call(restarted.service, 'renameModel', { id: 'my-grain', name: 'Grain of the 1970s box' })).name).toBe('Grain of the 1970s box');
    const rolledBack = await call(restarted.service, 'setDefaultModel', { base: 'test-denoise-color', model: null });
    expect(rolledBack.defaultModels).toEqual({});
    expect(await restarted.service.call('removeModel', { id: 'test-denoise-color' })).toMatchObject({ ok: true });
    // (the seeded base lives in a user folder here; a built-in one is refused:)
    expect(await call(restarted.service, 'removeModel', { id: 'my-grain' })).toEqual({ removed: true });
    expect(existsSync(path.join(models.dir, 'my-grain.onnx'))).toBe(false);
  });

  it('pauses at a checkpoint, stops the process and resumes from there', async () => {
    // The earlier services' processes may still be saving their jobs: let them finish first.
    for (const s of services) await s.close();
    await fs.rm(path.join(tmp, 'training'), { recursive: true, force: true });
    const fresh = await writeModelDir([testDenoiser(3, 4)]);
    await fs.cp(fresh.dir, models.dir, { recursive: true });
    await fresh.cleanup();
    const { service, events } = makeService();
    const job = await call(service, 'startTraining', { task: 'denoise', base: 'test-denoise-color', folders: [photos], budget: { minutes: 5 } });
    await waitFor(events, (e) => e.type === 'training-step' && e.step >= 2);
    const pausing = await call(service, 'pauseTraining', { jobId: job.jobId });
    expect(pausing.state).toBe('pausing');
    const paused = (await waitFor(events, (e) => e.type === 'training-paused')) as Extract<ApiEvent, { type: 'training-paused' }>;
    const ch = channels[channels.length - 1]!;
    await waitFor(events, () => ch.pid !== undefined && !isAlive(ch.pid));
    const info: TrainingJobInfo = (await call(service, 'getTraining', {}))!;
    expect(info.state).toBe('paused');
    expect(info.lastCheckpoint).toBe(paused.step);
    events.length = 0;
    await call(service, 'resumeTraining', { jobId: job.jobId });
    const first = (await waitFor(events, (e) => e.type === 'training-step')) as Extract<ApiEvent, { type: 'training-step' }>;
    expect(first.step).toBe(paused.step + 1);
    expect(await call(service, 'cancelTraining', { jobId: job.jobId })).toEqual({ cancelled: true });
    expect(existsSync(path.join(tmp, 'training', job.jobId))).toBe(false);
    expect(await call(service, 'getTraining', {})).toBeNull();
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
