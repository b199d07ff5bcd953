// The ONNX Runtime wrapper with real sessions: input names checked against the session, shapes
// logged and named on failure, pre-allocated outputs, release.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionPool } from './ort';
import { testDenoiser, writeModelDir, type ModelDir } from './test/models';

let dir: ModelDir;
const logs: string[] = [];
let pool: SessionPool;

beforeAll(async () => {
  dir = await writeModelDir([testDenoiser(1)]);
  pool = new SessionPool({ provider: 'cpu', threads: 1, log: (level, message) => logs.push(`${level} ${message}`) });
});
afterAll(async () => {
  await pool.releaseAll();
  await dir.cleanup();
});

const img = (h: number, w: number, c = 1) => ({ data: new Float32Array(c * h * w).fill(0.5), dims: [1, c, h, w] });

describe('SessionPool / ModelSession', () => {
  it('caches sessions and checks feed names against the model inputs', async () => {
    const file = dir.pathOf('test-denoise-gray');
    const s = await pool.get(file);
    expect(await pool.get(file)).toBe(s);
    expect([...s.inputNames]).toEqual(['image', 'noise_level']);
    await expect(s.run({ image: img(8, 8) })).rejects.toThrow(`${file}: model inputs are [image, noise_level], got [image] (missing noise_level)`);
  });

  it('names the input shapes when a run fails and logs them', async () => {
    const s = await pool.get(dir.pathOf('test-denoise-gray'));
    await expect(s.run({ image: img(8, 8, 3), noise_level: img(8, 8) })).rejects.toThrow(/inference failed \(inputs image\[1x3x8x8\] noise_level\[1x1x8x8\]\)/);
    expect(logs.some((l) => l.startsWith('error ') && l.includes('image[1x3x8x8]'))).toBe(true);
  });

  it('writes into a pre-allocated output of the known shape and matches the plain run', async () => {
    const s = await pool.get(dir.pathOf('test-denoise-gray'));
    const feeds = { image: img(16, 12), noise_level: img(16, 12) };
    const a = await s.run(feeds, { outputDims: [1, 1, 16, 12] });
    const b = await s.run(feeds);
    expect(a.dims).toEqual([1, 1, 16, 12]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it('releases the least recently used session beyond maxSessions', async () => {
    const two = await writeModelDir([testDenoiser(1, 3, 7), testDenoiser(3, 3, 8)]);
    const p = new SessionPool({ provider: 'cpu', threads: 1, maxSessions: 1 });
    try {
      const a = await p.get(two.pathOf('test-denoise-gray'));
      await p.get(two.pathOf('test-denoise-color'));
      expect(p.size).toBe(1);
      await new Promise((r) => setTimeout(r, 10));
      await expect(a.run({ image: img(4, 4), noise_level: img(4, 4) })).rejects.toThrow(/session already released/);
      expect(await p.get(two.pathOf('test-denoise-gray'))).not.toBe(a);
    } finally {
      await p.releaseAll();
      await two.cleanup();
    }
  });

  it('refuses to run a released session', async () => {
    const p = new SessionPool({ provider: 'cpu', threads: 1 });
    const s = await p.get(dir.pathOf('test-denoise-gray'));
    await p.releaseAll();
    await expect(s.run({ image: img(4, 4), noise_level: img(4, 4) })).rejects.toThrow(/session already released/);
  });
});
