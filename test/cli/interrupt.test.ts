// Ctrl-C during a batch, as a terminal sends it (SIGINT to the whole process group, the engine
// process included): the current file is finished, no other is started, nothing partial is left at
// an output path, exit code 1 with an interrupted summary. A second Ctrl-C stops at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { ModelDir } from '../../electron/engine/test/models';
import { listFiles, ofType, restore, tempDir, testModels, writeImage } from './helpers';

let dir: string;
let models: ModelDir;
const N = 5;

beforeAll(async () => {
  dir = await tempDir('interrupt');
  models = await testModels();
  for (let i = 0; i < N; i++) await writeImage(path.join(dir, 'in', `img${i}.png`), 600, 400);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
  await models.cleanup();
});

const visible = async (d: string): Promise<string[]> =>
  (await listFiles(d).catch(() => [] as string[])).filter((f) => !path.basename(f).startsWith('.'));
const args = (out: string): string[] => ['denoise', path.join(dir, 'in'), '-o', out, '--json', '--sigma', '10', '--models-dir', models.dir, '--threads', '1'];

describe('Ctrl-C', () => {
  it('once: finishes the current file, then stops with exit code 1', async () => {
    const out = path.join(dir, 'out1');
    let sent = false;
    const r = await restore(args(out), {
      detached: true,
      env: { RESTORE_DEBUG_EVENTS: '1' },
      timeoutMs: 60_000,
      onEvent: (e, child) => {
        if (!sent && e.type === 'debug' && e.event === 'file-start' && String(e.input).endsWith('img1.png')) {
          sent = true;
          process.kill(-child.pid!, 'SIGINT');
        }
      },
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('interrupted: finishing the current file');
    const summary = ofType(r.events, 'summary')[0];
    expect(summary).toMatchObject({ done: 2, failed: 0, interrupted: true, remaining: N - 2 });
    expect(await visible(out)).toEqual(['img0.png', 'img1.png']);
    for (const f of await visible(out)) expect((await sharp(path.join(out, f)).metadata()).width).toBe(600);
  });

  it('twice: stops at once, nothing partial', async () => {
    const out = path.join(dir, 'out2');
    let sent = false;
    let again = false;
    const r = await restore(args(out), {
      env: { RESTORE_DEBUG_EVENTS: '1' },
      timeoutMs: 60_000,
      onEvent: (e, child) => {
        if (!sent && e.type === 'debug' && e.event === 'file-start' && String(e.input).endsWith('img1.png')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
      // The second once the first is acknowledged: two sent back to back can merge into one.
      onStderr: (text, child) => {
        if (!again && text.includes('interrupted: finishing the current file')) {
          again = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('interrupted: stopping now');
    const summary = ofType(r.events, 'summary')[0];
    expect(summary).toMatchObject({ interrupted: true, failed: 0 });
    const written = await visible(out);
    // The cancelled file is normally not written; if the cancel reached the engine only after its
    // last tile, the file may still land, complete (writes are atomic).
    expect(written.length).toBeGreaterThanOrEqual(Number(summary!.done));
    expect(written.length).toBeLessThanOrEqual(Number(summary!.done) + 1);
    expect(Number(summary!.remaining)).toBeGreaterThanOrEqual(N - 2);
    for (const f of written) expect((await sharp(path.join(out, f)).metadata()).width).toBe(600);
  });
});
