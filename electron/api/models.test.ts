// Model listing and import with real ONNX Runtime sessions: a seeded test denoiser is imported
// (validated by running it, hashed, copied, listed); a broken file and the app folder are refused.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDenoiser, testUpsampler } from '../engine/test/models';
import { importModel, listModels } from './models';

const dir = mkdtempSync(path.join(os.tmpdir(), 'models-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const user = { dir: path.join(dir, 'user'), source: 'user' as const };

describe('importModel', () => {
  it('validates, hashes, copies and lists a denoiser and an upsampler', async () => {
    const dn = path.join(dir, 'My Denoiser.onnx');
    writeFileSync(dn, testDenoiser(3).bytes);
    const info = await importModel(dn, user);
    expect(info).toMatchObject({ id: 'my-denoiser', task: 'denoise', source: 'user', scale: 1, file: path.join(user.dir, 'my-denoiser.onnx') });
    // Its weights and biases counted from the graph (the Models view showed 'Parameters 0'): 4->8, 8->8 twice, 8->3, 3x3 convs.
    expect(info.parameters).toBe(4 * 8 * 9 + 8 + 2 * (8 * 8 * 9 + 8) + 8 * 3 * 9 + 3);
    const up = path.join(dir, 'up.onnx');
    writeFileSync(up, testUpsampler(2).bytes);
    expect(await importModel(up, user)).toMatchObject({ id: 'up', task: 'upscale', scale: 2 });
    expect((await importModel(dn, user)).id).toBe('my-denoiser-2');
    const manifest = JSON.parse(readFileSync(path.join(user.dir, 'manifest.json'), 'utf8')) as { models: Array<{ id: string; sha256: string; inputs: Array<{ role: string }> }> };
    const entry = manifest.models.find((m) => m.id === 'my-denoiser')!;
    expect(entry.sha256).toBe(createHash('sha256').update(readFileSync(path.join(user.dir, 'my-denoiser.onnx'))).digest('hex'));
    expect(entry.inputs.map((i) => i.role)).toEqual(['image', 'noise_level']);
    expect((await listModels([user])).map((m) => m.id)).toEqual(['my-denoiser', 'up', 'my-denoiser-2']);
  });
  it('refuses a file ONNX Runtime cannot load, naming it', async () => {
    const bad = path.join(dir, 'bad.onnx');
    writeFileSync(bad, 'not a model');
    await expect(importModel(bad, user)).rejects.toThrow(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not a model ONNX Runtime can load`));
    await expect(importModel(path.join(dir, 'x.txt'), user)).rejects.toThrow(/not an \.onnx file/);
  });
  it('imports a model whose file name is 250 bytes long (short temporary name, issue 16)', async () => {
    const long = path.join(dir, `${'m'.repeat(245)}.onnx`);
    writeFileSync(long, testDenoiser(1).bytes);
    const info = await importModel(long, user);
    expect(info.id).toBe('m'.repeat(245));
    expect(readFileSync(path.join(user.dir, `${info.id}.onnx`)).length).toBe(testDenoiser(1).bytes.length);
  });
  it('never writes into the app folder', async () => {
    await expect(importModel(path.join(dir, 'My Denoiser.onnx'), { dir: path.join(dir, 'app'), source: 'app' })).rejects.toThrow(/user's model folder only/);
  });
});

describe('the shipped detector in the Models table', () => {
  it('shows its F1 on each evaluation set at its shipped threshold, not its calibration runs', async () => {
    const root = path.resolve(__dirname, '../..');
    const models = await listModels([{ dir: path.join(root, 'models'), source: 'app' }]);
    const detector = models.find((m) => m.task === 'detect-damage')!;
    const manifest = JSON.parse(readFileSync(path.join(root, 'models', 'manifest.json'), 'utf8')) as { models: Array<{ id: string; threshold?: number; evaluation: Array<{ set: string; f1?: number; threshold?: number }> }> };
    const entry = manifest.models.find((m) => m.id === detector.id)!;
    const expected = entry.evaluation.filter((r) => ['CBSD68', 'McMaster', 'Set12'].includes(r.set) && r.threshold === entry.threshold);
    expect(expected.length).toBeGreaterThan(0);
    expect(detector.detection).toEqual(expected.map((r) => ({ set: r.set, f1: r.f1 })));
    expect(models.filter((m) => m.detection !== undefined).map((m) => m.task)).toEqual(['detect-damage']);
  });
});
