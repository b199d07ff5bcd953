// The whole-photo check a colourizer fine-tune must pass before adoption (trainer.ts): the held-out
// photos colourized as the engine does, scored as `restore eval --task colorize` scores them, with
// photos above the working size brought within it first. Real model (models/colorize.onnx), real
// photos (eval/McMaster, read only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadManifest } from '../../models/registry';
import { ModelRunner } from './runner';
import { evalColorize, wholePhotoScores } from './colorize';

/** Mean whole-photo score over the photos, as the adoption check compares them. */
const wholePhotoPsnr = async (...a: Parameters<typeof wholePhotoScores>): Promise<number> => {
  const s = await wholePhotoScores(...a);
  return s.reduce((x, y) => x + y, 0) / s.length;
};

const MODELS = path.resolve(__dirname, '../../models');
const MCMASTER = '/work/shared/data/eval/McMaster';
let dir: string;
let runner: ModelRunner;
let files: string[];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-whole-'));
  files = [];
  for (const f of ['1.png', '2.png']) {
    await fs.copyFile(path.join(MCMASTER, f), path.join(dir, f));
    files.push(path.join(dir, f));
  }
  const entry = (await loadManifest(MODELS)).find((m) => m.id === 'colorize')!;
  runner = await ModelRunner.open(entry, path.join(MODELS, entry.file), { threads: 1 });
});

afterAll(async () => {
  await runner?.release();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('whole-photo colourization check', () => {
  it('scores as restore eval does, automatic and with points', async () => {
    const rows = await evalColorize(runner, dir, [0, 10]);
    const expected = (rows[1]!.psnr + rows[2]!.psnr) / 2;
    expect(await wholePhotoPsnr(runner, files, [0, 10], 512)).toBeCloseTo(expected, 6);
    // and beats the gray baseline the rows report
    expect(expected).toBeGreaterThan(rows[0]!.psnr);
  });

  it('scores each photo as restore eval scores it alone', async () => {
    const scores = await wholePhotoScores(runner, files, [0, 10], 512);
    expect(scores).toHaveLength(2);
    const one = path.join(dir, 'one');
    await fs.mkdir(one);
    await fs.copyFile(files[1]!, path.join(one, path.basename(files[1]!)));
    const rows = await evalColorize(runner, one, [0, 10]);
    expect(scores[1]).toBeCloseTo((rows[1]!.psnr + rows[2]!.psnr) / 2, 6);
    expect(scores[0]).not.toBeCloseTo(scores[1]!, 1);
  });

  it('brings photos above the working size within it first', async () => {
    const small = await wholePhotoPsnr(runner, files, [0], 128);
    const full = await wholePhotoPsnr(runner, files, [0], 512);
    expect(Number.isFinite(small)).toBe(true);
    expect(small).not.toBeCloseTo(full, 2);
  });
});
