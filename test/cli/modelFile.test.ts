// `--model <file>` for a model that `restore train --out` wrote with its manifest.json beside it
// (issue 16, "what a new user tripped over"): accepted without --models-dir, as an id would be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { testDenoiser, writeModelDir, type ModelDir } from '../../electron/engine/test/models';
import { ofType, restore, tempDir, writeImage } from './helpers';

let dir: string;
let mine: ModelDir;

beforeAll(async () => {
  dir = await tempDir('modelfile');
  mine = await writeModelDir([testDenoiser(3)]);
  await writeImage(path.join(dir, 'in.png'), 48, 32);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
  await mine.cleanup();
});

describe('--model <file> with its manifest beside it', () => {
  it('is used, by absolute and by relative path', async () => {
    const file = mine.pathOf(mine.entries[0]!.id);
    for (const [model, cwd] of [[file, dir], [path.basename(file), mine.dir]] as const) {
      const out = path.join(dir, `out-${path.isAbsolute(model) ? 'abs' : 'rel'}.png`);
      const r = await restore(['denoise', path.join(dir, 'in.png'), '-o', out, '--sigma', '10', '--model', model, '--json', '--threads', '1'], { cwd });
      expect(r.code, r.stderr).toBe(0);
      const done = ofType(r.events, 'file-done');
      expect(done).toHaveLength(1);
      expect((done[0]!.steps as Array<{ model: string }>)[0]!.model).toBe(mine.entries[0]!.id);
    }
  });

  it('a file that its own manifest does not list is still refused (exit 2)', async () => {
    const stray = path.join(mine.dir, 'stray.onnx');
    await fs.writeFile(stray, testDenoiser(3, 4, 9).bytes);
    const r = await restore(['denoise', path.join(dir, 'in.png'), '-o', path.join(dir, 'x.png'), '--sigma', '10', '--model', stray, '--threads', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not listed in any manifest\.json/);
  });
});
