// EngineClient against the real bundled worker (dist/engine-worker.js, child_process.fork) with
// real models on disk: files complete, progress flows, a kill -9 mid-file is survived (restart +
// retry with a smaller tile, same pixels), a file that kills the worker every time fails alone,
// bad input fails with one line naming the file, cancel works.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../imageio/read';
import { EngineClient, type RestartInfo } from './client';
import type { FileProgress, ProcessFileRequest } from './protocol';
import { testDenoiser, writeModelDir, type ModelDir } from './test/models';

let dir: ModelDir;
let tmp: string;
let client: EngineClient;

beforeAll(async () => {
  dir = await writeModelDir([testDenoiser(3, 6)]);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'engine-client-'));
  await sharp('/work/shared/data/eval/CBSD68/101085.png').toFile(path.join(tmp, 'a.png'));
  await sharp('/work/shared/data/eval/CBSD68/102061.png').toFile(path.join(tmp, 'b.png'));
  client = await EngineClient.start({ provider: 'cpu', threads: 1, tile: 96, modelDirs: [dir.dir] });
});

afterAll(async () => {
  await client?.close();
  await dir.cleanup();
  await rm(tmp, { recursive: true, force: true });
});

const req = (name: string, out: string, extra: Partial<ProcessFileRequest> = {}): ProcessFileRequest => ({
  jobId: `${name}-${out}`,
  input: path.join(tmp, name),
  output: path.join(tmp, out),
  steps: [{ task: 'denoise', sigma: 15 }],
  format: 'png',
  ...extra,
});

async function pixelDiff(a: string, b: string): Promise<number> {
  const x = (await readImage(a)).raster.data;
  const y = (await readImage(b)).raster.data;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

describe('EngineClient', () => {
  it('starts the worker, reports the provider and processes a file with progress', async () => {
    expect(client.provider.active).toBe('cpu');
    expect(client.pid).toBeGreaterThan(0);
    const progress: FileProgress[] = [];
    const res = await client.processFile(req('a.png', 'a-ref.png'), (p) => progress.push(p));
    expect(res.steps[0]!.model).toBe('test-denoise-color');
    expect([res.width, res.height]).toEqual([321, 481]);
    expect(progress.length).toBeGreaterThan(4);
    expect(progress.at(-1)!.tilesDone).toBe(progress.at(-1)!.tilesTotal);
  });

  it('survives kill -9 mid-file: restarts the worker and completes the file with a smaller tile', async () => {
    const restarts: RestartInfo[] = [];
    const off = client.on('restart', (r) => restarts.push(r));
    const pid = client.pid!;
    let killed = false;
    const tiles: number[] = [];
    const res = await client.processFile(req('a.png', 'a-crash.png'), (p) => {
      tiles.push(p.tile ?? 0);
      if (!killed && p.tilesDone >= 2) {
        killed = true;
        process.kill(pid, 'SIGKILL');
      }
    });
    off();
    expect(killed).toBe(true);
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toMatchObject({ pid, signal: 'SIGKILL', input: path.join(tmp, 'a.png') });
    expect(client.pid).not.toBe(pid);
    expect(tiles[0]).toBe(96);
    expect(tiles.at(-1)).toBe(48);
    expect(res.output).toBe(path.join(tmp, 'a-crash.png'));
    // tiling is exact: the retried file equals the uninterrupted one
    expect(await pixelDiff(path.join(tmp, 'a-ref.png'), res.output)).toBeLessThanOrEqual(1);
  });

  it('fails only the file that crashes the worker on every attempt, then carries on', async () => {
    const first = client.processFile(req('a.png', 'a-doomed.png', { jobId: 'doomed' }), (p) => {
      if (p.tilesDone >= 1 && client.pid) process.kill(client.pid, 'SIGKILL');
    });
    const second = client.processFile(req('b.png', 'b-ok.png'));
    await expect(first).rejects.toThrow(`${path.join(tmp, 'a.png')}: engine process crashed (SIGKILL) on every attempt`);
    expect((await second).output).toBe(path.join(tmp, 'b-ok.png'));
  });

  it('reports bad input as one line naming the file and keeps the worker', async () => {
    const pid = client.pid;
    await expect(client.processFile(req('missing.png', 'x.png'))).rejects.toThrow(new RegExp(`^${path.join(tmp, 'missing.png')}: [^\\n]+$`));
    await expect(client.processFile(req('a.png', 'x.png', { steps: [{ task: 'upscale', scale: 2 }] }))).rejects.toThrow(
      `${path.join(tmp, 'a.png')}: no trained model for upscale x2 yet; see README (Models)`,
    );
    expect(client.pid).toBe(pid);
  });

  it('cancels a running job', async () => {
    let sent = false;
    const job = client.processFile(req('b.png', 'b-cancel.png', { jobId: 'cancel-me', tile: 48 }), () => {
      if (!sent) {
        sent = true;
        client.cancel('cancel-me');
      }
    });
    await expect(job).rejects.toThrow(/cancelled/);
  });
});

describe('EngineClient stall watchdog', () => {
  it('kills a worker that stops answering (SIGSTOP) and completes the file after a restart', async () => {
    const c = await EngineClient.start({ provider: 'cpu', threads: 1, tile: 96, modelDirs: [dir.dir], stallTimeoutMs: 4000 });
    try {
      const restarts: RestartInfo[] = [];
      c.on('restart', (r) => restarts.push(r));
      const pid = c.pid!;
      let stopped = false;
      const res = await c.processFile(req('b.png', 'b-stall.png', { jobId: 'stall' }), (p) => {
        if (!stopped && p.tilesDone >= 1) {
          stopped = true;
          process.kill(pid, 'SIGSTOP');
        }
      });
      expect(stopped).toBe(true);
      expect(restarts).toHaveLength(1);
      expect(restarts[0]).toMatchObject({ pid, signal: 'SIGKILL' });
      expect(res.output).toBe(path.join(tmp, 'b-stall.png'));
    } finally {
      await c.close();
    }
  });
});

describe('EngineClient start failures', () => {
  it('rejects with the reason when the worker exits or stays silent during start', async () => {
    const bad = path.join(tmp, 'not-a-worker.js');
    await (await import('node:fs/promises')).writeFile(bad, 'process.exit(3);\n');
    await expect(EngineClient.start({ provider: 'cpu', threads: 1, tile: 0, workerPath: bad })).rejects.toThrow(
      /engine process exited during start \(code 3\)/,
    );
    const silent = path.join(tmp, 'silent-worker.js');
    await (await import('node:fs/promises')).writeFile(silent, 'setInterval(() => {}, 1000);\n');
    await expect(EngineClient.start({ provider: 'cpu', threads: 1, tile: 0, workerPath: silent, startTimeoutMs: 1500 })).rejects.toThrow(
      /did not start within 1500 ms/,
    );
  });
});
