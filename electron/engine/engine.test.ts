// The in-process Engine with the real registry: user model folders are found, model files are
// sha256-checked against the manifest before a session is created, --model ids resolve.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from './engine';
import type { ProcessFileRequest } from './protocol';
import { testDenoiser, testUpsampler, writeModelDir, type ModelDir } from './test/models';

let dir: ModelDir;
let tmp: string;

beforeAll(async () => {
  dir = await writeModelDir([testDenoiser(3), testUpsampler(2)]);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'engine-inproc-'));
  await sharp('/work/shared/data/eval/Set5/bird.png').resize(64, 48).toFile(path.join(tmp, 'in.png'));
});
afterAll(async () => {
  await dir.cleanup();
  await rm(tmp, { recursive: true, force: true });
});

const req = (steps: ProcessFileRequest['steps'], out = 'out.png'): ProcessFileRequest => ({
  jobId: 'e',
  input: path.join(tmp, 'in.png'),
  output: path.join(tmp, out),
  steps,
  format: 'same',
});

describe('Engine', () => {
  it('chains steps with models from a user folder and records them', async () => {
    const engine = await Engine.create({ provider: 'cpu', threads: 1, tile: 0, modelDirs: [dir.dir] }, () => undefined);
    try {
      expect(engine.provider.active).toBe('cpu');
      const res = await engine.process(req([{ task: 'denoise', sigma: 5, model: 'test-denoise-color' }, { task: 'upscale', scale: 2 }]));
      expect(res.steps.map((s) => s.model)).toEqual(['test-denoise-color', 'test-upscale-x2']);
      expect([res.width, res.height]).toEqual([128, 96]);
      await expect(engine.process(req([{ task: 'denoise', sigma: 5, model: 'test-upscale-x2' }]))).rejects.toThrow(
        /in\.png: test-upscale-x2: is a model for upscale, not for denoise/,
      );
    } finally {
      await engine.close();
    }
  });

  it('refuses a model file whose sha256 does not match its manifest entry', async () => {
    const engine = await Engine.create({ provider: 'cpu', threads: 1, tile: 0, modelDirs: [dir.dir] }, () => undefined);
    try {
      const file = dir.pathOf('test-upscale-x2');
      const bytes = testUpsampler(2, 99).bytes; // same graph, other weights
      await writeFile(file, bytes);
      await expect(engine.process(req([{ task: 'upscale', scale: 2 }], 'bad.png'))).rejects.toThrow(
        new RegExp(`in\\.png: ${file.replace(/[.]/g, '\\.')}: sha256 mismatch`),
      );
    } finally {
      await engine.close();
    }
  });
});
