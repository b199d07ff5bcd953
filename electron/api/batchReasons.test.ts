// The Batch view hears why a file was skipped or redone (issue 16 item 3, app side): a rerun with
// the same steps skips each file as 'already restored with these steps' (record 'same'), an output
// that Restore Studio did not make is kept (record 'foreign'), and a rerun with another strength
// redoes ours with the reason (the output's processing record against the current steps). The
// real API service and engine process (a seeded denoiser) on real PNG photos.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDenoiser, writeModelDir, type ModelDir } from '../engine/test/models';
import { FolderAccess } from './access';
import type { ApiEvent } from './contract';
import { callValue, testService } from './test/service';

let dir: string;
let models: ModelDir;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'batch-reasons-'));
  models = await writeModelDir([testDenoiser(3)]);
  for (const [name, shade] of [['a.png', 40], ['b.png', 90], ['c.png', 140]] as const) {
    await fs.mkdir(path.join(dir, 'in'), { recursive: true });
    await sharp({ create: { width: 40, height: 28, channels: 3, background: { r: shade, g: 120, b: 200 }, noise: { type: 'gaussian', mean: 0, sigma: 18 } } }).png().toFile(path.join(dir, 'in', name));
  }
  await fs.mkdir(path.join(dir, 'out'));
}, 60_000);
afterAll(async () => {
  await models?.cleanup();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function batch(sigma: number): Promise<Record<string, Extract<ApiEvent, { type: 'batch-file' }>>> {
  const access = new FolderAccess();
  await access.allow(dir);
  const service = testService({ access, workspace: path.join(dir, 'ws'), settingsFile: path.join(dir, 'settings.json'), modelDir: models.dir });
  const rows: Record<string, Extract<ApiEvent, { type: 'batch-file' }>> = {};
  const done = new Promise<void>((resolve) =>
    service.on((e) => {
      if (e.type === 'batch-file') rows[path.basename(e.input)] = e;
      if (e.type === 'batch-done') resolve();
    }),
  );
  try {
    await callValue(service, 'startBatch', { jobId: `b${sigma}`, inputs: [path.join(dir, 'in')], output: path.join(dir, 'out'), recursive: true, steps: [{ task: 'denoise', sigma }], options: { format: 'same', keepMetadata: true }, skipExisting: true });
    await done;
  } finally {
    await service.close();
  }
  return rows;
}

describe('why a batch file was skipped or redone', () => {
  it('skips same-step outputs, keeps foreign ones and redoes ours made with other settings, saying why', async () => {
    // c.png's output exists already, made by something else (no processing record).
    await sharp({ create: { width: 40, height: 28, channels: 3, background: '#808080' } }).png().toFile(path.join(dir, 'out', 'c.png'));
    const first = await batch(15);
    expect(first['a.png']).toMatchObject({ status: 'done' });
    expect(first['a.png']?.redone).toBeUndefined();
    expect(first['c.png']).toMatchObject({ status: 'skipped', reason: 'output exists', record: 'foreign' });

    const again = await batch(15);
    expect(again['a.png']).toMatchObject({ status: 'skipped', reason: 'output exists', record: 'same' });
    expect(again['b.png']).toMatchObject({ status: 'skipped', record: 'same' });

    const changed = await batch(30);
    expect(changed['a.png']).toMatchObject({ status: 'done', redone: expect.stringMatching(/made with denoise sigma 15.*now denoise sigma 30/) });
    expect(changed['c.png']).toMatchObject({ status: 'skipped', record: 'foreign' });
  });
});
