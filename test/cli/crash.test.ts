// Crashes during a batch. (1) kill -9 of the engine process mid-batch: the supervisor restarts it,
// the file in flight is retried and the batch completes (exit 0). The engine's pid comes from the
// debug events (RESTORE_DEBUG_EVENTS=1). (2) kill -9 of the whole CLI (its process group, engine
// included) mid-batch: no partial file at any final path, and a rerun finishes only what is
// missing (file-skipped for the others).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { ModelDir } from '../../electron/engine/test/models';
import { listFiles, ofType, restore, tempDir, testModels, writeImage, type Event } from './helpers';

let dir: string;
let models: ModelDir;
const N = 6;

beforeAll(async () => {
  dir = await tempDir('crash');
  models = await testModels();
  for (let i = 0; i < N; i++) await writeImage(path.join(dir, 'in', `img${i}.png`), 700, 500);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
  await models.cleanup();
});

const visible = async (d: string): Promise<string[]> => (await listFiles(d)).filter((f) => !path.basename(f).startsWith('.'));

describe('crash recovery', () => {
  it('kill -9 of the engine mid-batch: restarted, the batch completes', async () => {
    const out = path.join(dir, 'out-engine');
    let killed: number | undefined;
    const r = await restore(['denoise', path.join(dir, 'in'), '-o', out, '--json', '--sigma', '10', '--models-dir', models.dir, '--threads', '1'], {
      env: { RESTORE_DEBUG_EVENTS: '1' },
      timeoutMs: 90_000,
      onEvent: (e: Event) => {
        if (killed === undefined && e.type === 'debug' && e.event === 'file-start' && String(e.input).endsWith('img2.png')) {
          killed = Number(e.pid);
          process.kill(killed, 'SIGKILL');
        }
      },
    });
    expect(killed).toBeGreaterThan(0);
    expect(r.code, r.stderr).toBe(0);
    const restarts = r.events.filter((e) => e.type === 'debug' && e.event === 'engine-restart');
    expect(restarts.map((e) => e.pid)).toEqual([killed]);
    const later = r.events.filter((e) => e.type === 'debug' && e.event === 'file-start').map((e) => Number(e.pid));
    expect(later[later.length - 1]).not.toBe(killed);
    expect(ofType(r.events, 'summary')[0]).toMatchObject({ done: N, failed: 0 });
    expect(await visible(out)).toHaveLength(N);
  });

  it('kill -9 of the CLI mid-batch: nothing partial, the rerun finishes what is missing', async () => {
    const out = path.join(dir, 'out-cli');
    const args = ['denoise', path.join(dir, 'in'), '-o', out, '--json', '--sigma', '10', '--models-dir', models.dir, '--threads', '1'];
    let done = 0;
    const first = await restore(args, {
      detached: true,
      timeoutMs: 90_000,
      onEvent: (e, child) => {
        if (e.type === 'file-done' && ++done === 2) process.kill(-child.pid!, 'SIGKILL');
      },
    });
    expect(first.signal).toBe('SIGKILL');
    const written = await visible(out);
    expect(written.length).toBeGreaterThanOrEqual(2);
    expect(written.length).toBeLessThan(N);
    for (const f of written) {
      const m = await sharp(path.join(out, f)).metadata();
      expect([m.width, m.height]).toEqual([700, 500]);
      await sharp(path.join(out, f)).raw().toBuffer(); // decodes completely
    }
    const second = await restore(args, { timeoutMs: 90_000 });
    expect(second.code, second.stderr).toBe(0);
    expect(ofType(second.events, 'file-skipped').map((e) => path.basename(String(e.output))).sort()).toEqual(written);
    expect(ofType(second.events, 'file-done')).toHaveLength(N - written.length);
    expect(await visible(out)).toHaveLength(N);
  });
});

