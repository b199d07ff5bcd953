// Registry on real files: manifests and ONNX models written to a temporary folder, sha256 checks
// against tampered files, id and file resolution, app + user folder merging, manifest errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { dncnn } from './architectures/dncnn';
import { subpixelUpsampler } from './architectures/subpixel';
import type { ArchitectureResult } from './architectures/types';
import { manifestEntryFor } from './entry';
import { serializeModel } from './onnx/serialize';
import { loadManifest, loadModels, MANIFEST_FILE, resolveModel, sha256File, updateManifestEntry, upsertManifestEntry, verifyModelFile, withManifestLock } from './registry';
import type { ManifestEntry, TaskName } from './manifest';

let root: string;
let appDir: string;
let userDir: string;

async function install(dir: string, id: string, task: TaskName, arch: ArchitectureResult, extra: Partial<ManifestEntry> = {}): Promise<ManifestEntry> {
  const file = `${id}.onnx`;
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, file), serializeModel(arch.model));
  const entry = manifestEntryFor(arch, { id, task, file, sha256: await sha256File(path.join(dir, file)), architecture: 'test', ...extra });
  await upsertManifestEntry(dir, entry);
  return entry;
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'registry-test-'));
  appDir = path.join(root, 'app');
  userDir = path.join(root, 'user');
  await install(appDir, 'dn-small', 'denoise', dncnn({ channels: 3, depth: 3, width: 4, seed: 1 }));
  await install(appDir, 'dn-gray', 'denoise', dncnn({ channels: 1, depth: 3, width: 4, seed: 2 }));
  await install(appDir, 'sr-x2', 'upscale', subpixelUpsampler({ scale: 2, width: 4, depth: 1, seed: 3 }), { scale: 2 });
  await install(userDir, 'dn-mine', 'denoise', dncnn({ channels: 3, depth: 3, width: 4, seed: 4 }), { training: {
    data: 'my photos', steps: 10, seed: 4, seconds: 1, machine: 'test', command: 'restore train ...', base: 'dn-small' } });
  await install(userDir, 'sr-x2', 'upscale', subpixelUpsampler({ scale: 2, width: 4, depth: 2, seed: 5 }), { scale: 2, name: 'user x2' });
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('registry', () => {
  it('loads, validates and merges app and user folders (user overrides by id)', async () => {
    expect((await loadManifest(appDir)).map((e) => e.id)).toEqual(['dn-small', 'dn-gray', 'sr-x2']);
    const models = await loadModels([appDir, userDir]);
    expect(models.map((m) => `${m.entry.id}@${path.basename(m.dir)}`)).toEqual(['dn-small@app', 'dn-gray@app', 'dn-mine@user', 'sr-x2@user']);
    expect(models.find((m) => m.entry.id === 'dn-mine')?.entry.training?.base).toBe('dn-small');
    expect(await loadManifest(path.join(root, 'no-such-folder'))).toEqual([]);
  });

  it('resolves ids and listed files; the resolved file runs in ONNX Runtime', async () => {
    const byId = await resolveModel('dn-mine', 'denoise', [appDir, userDir]);
    expect(byId.path).toBe(path.join(userDir, 'dn-mine.onnx'));
    await verifyModelFile(byId.entry, byId.path);
    const byFile = await resolveModel(path.join(appDir, 'dn-gray.onnx'), undefined, [appDir, userDir]);
    expect(byFile.entry.id).toBe('dn-gray');
    expect((await resolveModel('dn-gray.onnx', 'denoise', [appDir], { cwd: appDir })).entry.id).toBe('dn-gray');
    // The app's file of an id the user folder overrides still resolves, to the app's entry.
    const shadowed = await resolveModel('app/sr-x2.onnx', 'upscale', [appDir, userDir], { cwd: root });
    expect(shadowed.dir).toBe(appDir);
    await verifyModelFile(shadowed.entry, shadowed.path);
    expect((await resolveModel('sr-x2', 'upscale', [appDir, userDir])).dir).toBe(userDir);
    const session = await ort.InferenceSession.create(byFile.path);
    expect(session.inputNames).toEqual(byFile.entry.inputs.map((i) => i.name));
    await session.release();
  });

  it('resolves a model file listed by the manifest.json of its own folder (restore train --out)', async () => {
    const own = path.join(root, 'trained');
    const entry = await install(own, 'dn-trained', 'denoise', dncnn({ channels: 3, depth: 3, width: 4, seed: 6 }));
    const found = await resolveModel(path.join(own, 'dn-trained.onnx'), 'denoise', [appDir, userDir]);
    expect(found).toMatchObject({ path: path.join(own, 'dn-trained.onnx'), dir: own, entry: { id: entry.id } });
    await verifyModelFile(found.entry, found.path);
    expect((await resolveModel('dn-trained.onnx', 'denoise', [appDir], { cwd: own })).entry.id).toBe('dn-trained');
    await expect(resolveModel(path.join(own, 'dn-trained.onnx'), 'upscale', [appDir])).rejects.toThrow(/is a model for denoise/);
  });

  it('names the unknown id and lists the ids available for the task', async () => {
    await expect(resolveModel('dn-nope', 'denoise', [appDir, userDir]))
      .rejects.toThrow(/^dn-nope: unknown model id; available denoise models: dn-small, dn-gray, dn-mine$/);
    await expect(resolveModel('x', 'colorize', [appDir])).rejects.toThrow(/^x: unknown model id; available colorize models: none installed$/);
    await expect(resolveModel('sr-x2', 'denoise', [appDir])).rejects.toThrow(/^sr-x2: is a model for upscale, not for denoise$/);
    const stray = path.join(root, 'stray.onnx');
    await fs.writeFile(stray, 'x');
    await expect(resolveModel(stray, undefined, [appDir])).rejects.toThrow(/stray\.onnx: not listed in any manifest\.json/);
    await expect(resolveModel(path.join(root, 'gone.onnx'), undefined, [appDir])).rejects.toThrow(/gone\.onnx: model file not found/);
  });

  it('rejects a tampered model file with a sha256 error naming the file', async () => {
    const dir = path.join(root, 'tamper');
    const entry = await install(dir, 'dn-t', 'denoise', dncnn({ channels: 3, depth: 3, width: 4, seed: 9 }));
    const file = path.join(dir, 'dn-t.onnx');
    await verifyModelFile(entry, file);
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0xff;
    await fs.writeFile(file, bytes);
    await expect(verifyModelFile(entry, file)).rejects.toThrow(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: sha256 mismatch for model "dn-t": manifest has [0-9a-f]{12}\\.\\.\\., file has [0-9a-f]{12}\\.\\.\\.`));
    await fs.rm(file);
    await expect(verifyModelFile(entry, file)).rejects.toThrow(/dn-t\.onnx: model file of "dn-t" not found/);
  });

  it('reports broken manifests in one line naming the file', async () => {
    const dir = path.join(root, 'broken');
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, 'manifest.json');
    await fs.writeFile(file, '{"version": 1, "models": [');
    await expect(loadManifest(dir)).rejects.toThrow(/manifest\.json: not valid JSON/);
    await fs.writeFile(file, JSON.stringify({ version: 1, models: [{ id: 'Bad Id' }] }));
    await expect(loadManifest(dir)).rejects.toThrow(/manifest\.json: invalid manifest at models\.0\.id/);
    // A byte-order mark (Windows Notepad) is not what is wrong with it.
    await fs.writeFile(file, '\uFEFF' + JSON.stringify({ version: 1, models: [{ id: 'Bad Id' }] }));
    await expect(loadManifest(dir)).rejects.toThrow(/manifest\.json: invalid manifest at models\.0\.id/);
    const good = (await loadManifest(appDir))[0]!;
    await fs.writeFile(file, JSON.stringify({ version: 1, models: [good, good] }));
    await expect(loadManifest(dir)).rejects.toThrow(/model id "dn-small" appears twice/);
    await fs.writeFile(file, JSON.stringify({ version: 1, models: [{ ...good, file: '../app/dn-small.onnx' }] }));
    await expect(loadManifest(dir)).rejects.toThrow(/is outside the manifest's folder/);
    await expect(loadModels([appDir, dir])).rejects.toThrow(/broken\/manifest\.json/);
  });

  it('concurrent read-modify-writes of the manifest lose nothing and keep the entry order', async () => {
    const dir = path.join(root, 'concurrent');
    await fs.cp(appDir, dir, { recursive: true });
    const before = (await loadManifest(dir)).map((e) => e.id);
    // A lock left by a killed process (older than a minute) is taken over, not waited on forever.
    const lock = path.join(dir, `${MANIFEST_FILE}.lock`);
    await fs.writeFile(lock, '99999\n');
    const old = new Date(Date.now() - 120_000);
    await fs.utimes(lock, old, old);
    const ids = ['dn-small', 'sr-x2', 'dn-gray'];
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        updateManifestEntry(dir, ids[i % 3]!, (cur) => ({ ...cur!, evaluation: [...cur!.evaluation, { set: `set${i}`, psnr: i }] })),
      ),
    );
    const after = await loadManifest(dir);
    expect(after.map((e) => e.id)).toEqual(before);
    for (const [k, id] of ids.entries()) {
      const sets = after.find((e) => e.id === id)!.evaluation.map((r) => r.set).sort();
      expect(sets).toEqual(Array.from({ length: 8 }, (_, j) => `set${j * 3 + k}`).sort());
    }
    await expect(fs.stat(lock)).rejects.toThrow();
    await expect(updateManifestEntry(dir, 'dn-small', (cur) => ({ ...cur!, id: 'renamed' }))).rejects.toThrow(/cannot change its id/);
  });

  it('waits for a lock file held by another process, then writes', async () => {
    const dir = path.join(root, 'held');
    await fs.cp(appDir, dir, { recursive: true });
    const lock = path.join(dir, `${MANIFEST_FILE}.lock`);
    await fs.writeFile(lock, '12345\n'); // fresh: another process is writing
    let released = 0;
    setTimeout(() => void fs.rm(lock).then(() => (released = Date.now())), 300);
    const written = await updateManifestEntry(dir, 'sr-x2', (cur) => ({ ...cur!, name: 'renamed x2' })).then(() => Date.now());
    expect(released).toBeGreaterThan(0);
    expect(written).toBeGreaterThanOrEqual(released);
    expect((await loadManifest(dir)).find((e) => e.id === 'sr-x2')?.name).toBe('renamed x2');
    // and the in-process queue runs one holder at a time
    let inside = 0, most = 0;
    await Promise.all(Array.from({ length: 6 }, () => withManifestLock(dir, async () => {
      most = Math.max(most, ++inside);
      await new Promise((r) => setTimeout(r, 5));
      inside--;
    })));
    expect(most).toBe(1);
  });

  it('the shipped manifest is valid', async () => {
    const dir = path.dirname(new URL(import.meta.url).pathname);
    const models = await loadModels([dir]);
    for (const m of models) await verifyModelFile(m.entry, m.path);
  });
});
