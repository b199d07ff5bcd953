// Tiling against whole-image inference with real ONNX Runtime sessions of small random models:
// DnCNN-like, U-Net (multipleOf 4) and x2/x4 sub-pixel upsamplers, several tile sizes and
// image sizes that are not multiples of anything. Also the pure planning maths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionPool } from './ort';
import { constantSource, planeSink, planeSource } from './sources';
import { axisWeights, planAxis, reflectIndex, runTiled, runTiledAdaptive, type TileSource } from './tiling';
import { dncnn } from '../../models/architectures/dncnn';
import { subpixelUpsampler } from '../../models/architectures/subpixel';
import { unet } from '../../models/architectures/unet';
import { fromArchitecture, testDenoiser, testUnet, testUpsampler, writeModelDir, type ModelDir } from './test/models';

function randomImage(c: number, h: number, w: number, seed: number): Float32Array {
  // smooth-ish structure plus texture, values in [0, 1]
  let s = seed >>> 0;
  const out = new Float32Array(c * h * w);
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const x = i % w;
    const y = Math.floor(i / w) % h;
    out[i] = 0.5 + 0.3 * Math.sin(x / 7 + y / 11 + i / (h * w)) + 0.2 * (s / 2 ** 32 - 0.5);
  }
  return out;
}

describe('tiling plan', () => {
  it('reflects indices like numpy reflect mode, at any distance', () => {
    expect([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6].map((i) => reflectIndex(i, 4))).toEqual([3, 2, 1, 0, 1, 2, 3, 2, 1, 0]);
    expect(reflectIndex(-7, 1)).toBe(0);
    expect(reflectIndex(13, 3)).toBe(1);
  });

  it('covers the axis, aligns window origins to multipleOf and blends to a partition of unity', () => {
    for (const [len, tile, rf, mo, scale] of [
      [4000, 512, 59, 4, 1],
      [1000, 128, 9, 1, 1],
      [517, 96, 44, 4, 1],
      [333, 64, 5, 1, 4],
      [50, 512, 21, 8, 2],
      [129, 100, 17, 16, 1],
    ] as const) {
      const p = planAxis(len, tile, rf, mo);
      expect(p.margin * 2).toBeGreaterThanOrEqual(rf - 1);
      expect(p.window).toBeLessThanOrEqual(Math.max(tile, p.margin * 2 + 64));
      const sum = new Float64Array(len * scale);
      p.starts.forEach((s, k) => {
        expect(Math.abs((s - p.margin) % mo)).toBe(0);
        expect(p.window % mo).toBe(0);
        const w = axisWeights(p, k, scale);
        for (let i = 0; i < w.length; i++) if (s * scale + i < len * scale) sum[s * scale + i]! += w[i]!;
      });
      for (const v of sum) expect(v).toBeCloseTo(1, 5);
      // windows share the axis evenly: cores and steps one alignment step smaller would not cover it
      const n = p.starts.length;
      const step = n > 1 ? p.starts[1]! : 0;
      expect(p.starts[n - 1]! + p.core).toBeGreaterThanOrEqual(len);
      expect((n - 1) * (step - mo) + (p.core - mo)).toBeLessThan(len);
    }
  });
});

describe('tiled inference with real ONNX Runtime sessions', () => {
  let dir: ModelDir;
  let pool: SessionPool;
  beforeAll(async () => {
    dir = await writeModelDir([
      testDenoiser(3),
      testUnet(),
      testUpsampler(2),
      testUpsampler(4),
      // the project's own architectures, with the receptiveField/multipleOf they declare
      fromArchitecture(
        'arch-unet',
        'denoise',
        unet({ inChannels: 3, outChannels: 3, widths: [6, 8, 10], seed: 11, residual: true, extraInputs: [{ name: 'noise_level', role: 'noise_level', channels: 1 }] }),
      ),
      fromArchitecture('arch-dncnn', 'denoise', dncnn({ channels: 3, depth: 6, width: 8, noiseLevelInput: true, seed: 12 })),
      fromArchitecture('arch-subpixel-x4', 'upscale', subpixelUpsampler({ scale: 4, width: 8, depth: 2, seed: 13 }), 4),
    ]);
    pool = new SessionPool({ provider: 'cpu', threads: 2 });
  });
  afterAll(async () => {
    await pool.releaseAll();
    await dir.cleanup();
  });

  async function tiled(id: string, img: Float32Array, w: number, h: number, tile: number, extra: Record<string, TileSource> = {}, skip?: (x0: number, y0: number, w: number, h: number) => boolean) {
    const e = dir.entries.find((x) => x.id === id)!;
    const session = await pool.get(dir.pathOf(id));
    const out = new Float32Array(e.output.channels * h * e.scale * w * e.scale);
    let tiles = 0, runs = 0;
    await runTiled({
      width: w,
      height: h,
      inputs: { [e.inputs.find((i) => i.role === 'image')!.name]: planeSource(img, w, h, 3), ...extra },
      run: (feeds) => {
        runs++;
        const d = Object.values(feeds)[0]!.dims;
        return session.run(feeds, { outputDims: [1, e.output.channels, d[2]! * e.scale, d[3]! * e.scale] });
      },
      outChannels: e.output.channels,
      scale: e.scale,
      tile,
      receptiveField: e.receptiveField,
      multipleOf: e.multipleOf,
      sink: planeSink(out, w * e.scale, h * e.scale, e.output.channels),
      onTile: () => tiles++,
      skip,
    });
    return { out, tiles, runs };
  }

  function maxDiff(a: Float32Array, b: Float32Array, c: number, h: number, w: number, border: number): number {
    let m = 0;
    for (let ch = 0; ch < c; ch++)
      for (let y = border; y < h - border; y++)
        for (let x = border; x < w - border; x++) {
          const i = (ch * h + y) * w + x;
          m = Math.max(m, Math.abs(a[i]! - b[i]!));
        }
    return m;
  }

  const cases: Array<[string, number, number, number[]]> = [
    ['test-denoise-color', 203, 157, [32, 48, 77]],
    ['test-unet', 181, 130, [64, 72, 100]],
    ['test-upscale-x2', 97, 75, [24, 40]],
    ['test-upscale-x4', 61, 53, [20, 33]],
    ['arch-unet', 150, 111, [64, 120]],
    ['arch-dncnn', 133, 97, [32, 57]],
    ['arch-subpixel-x4', 70, 45, [20, 31]],
  ];
  for (const [id, w, h, tiles] of cases) {
    it(`${id}: ${w}x${h} tiled (${tiles.join(', ')}) equals whole-image inference`, async () => {
      const e = dir.entries.find((x) => x.id === id)!;
      const s = e.scale;
      const img = randomImage(3, h, w, 7);
      const noise = e.inputs.find((i) => i.role === 'noise_level');
      const extra: Record<string, TileSource> = noise ? { [noise.name]: constantSource(25 / 255) } : {};
      const whole = await tiled(id, img, w, h, 100_000, extra);
      expect(whole.tiles).toBe(1);
      // Direct session run on the unpadded image (sizes multiple of multipleOf: crop first).
      const cw = Math.floor(w / e.multipleOf) * e.multipleOf;
      const ch = Math.floor(h / e.multipleOf) * e.multipleOf;
      const crop = new Float32Array(3 * ch * cw);
      for (let c = 0; c < 3; c++) for (let y = 0; y < ch; y++) crop.set(img.subarray((c * h + y) * w, (c * h + y) * w + cw), (c * ch + y) * cw);
      const feeds: Record<string, { data: Float32Array; dims: number[] }> = {
        [e.inputs.find((i) => i.role === 'image')!.name]: { data: crop, dims: [1, 3, ch, cw] },
      };
      if (noise) feeds[noise.name] = { data: new Float32Array(ch * cw).fill(25 / 255), dims: [1, 1, ch, cw] };
      const direct = await (await pool.get(dir.pathOf(id))).run(feeds);
      const wholeCrop = new Float32Array(3 * ch * s * cw * s);
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < ch * s; y++)
          wholeCrop.set(whole.out.subarray((c * h * s + y) * w * s, (c * h * s + y) * w * s + cw * s), (c * ch * s + y) * cw * s);
      const border = Math.ceil(e.receptiveField / 2) * s + e.multipleOf * s;
      expect(maxDiff(direct.data, wholeCrop, 3, ch * s, cw * s, border)).toBeLessThan(1e-4);
      for (const tile of tiles) {
        const t = await tiled(id, img, w, h, tile, extra);
        expect(t.tiles).toBeGreaterThan(1);
        // tiled vs whole-image (both reflect-padded): equal everywhere, borders included
        expect(maxDiff(t.out, whole.out, 3, h * s, w * s, 0)).toBeLessThan(1 / 255 / 10);
      }
    });
  }

  it('skips the windows a skip test refuses (inpainting outside its mask) and keeps the others exact', async () => {
    const [w, h] = [203, 157];
    const img = randomImage(3, h, w, 9);
    const extra = { noise_level: constantSource(25 / 255) };
    const full = await tiled('test-denoise-color', img, w, h, 48, extra);
    // only windows that reach the region x < 40, y < 30 run
    const wanted = (x0: number, y0: number): boolean => x0 < 40 && y0 < 30;
    const part = await tiled('test-denoise-color', img, w, h, 48, extra, (x0, y0) => !wanted(x0, y0));
    expect(part.tiles).toBe(full.tiles); // progress still counts every window
    expect(part.runs).toBeGreaterThan(0);
    expect(part.runs).toBeLessThan(full.runs / 3);
    // inside the region every contributing window ran: identical to the full run
    let m = 0;
    for (let c = 0; c < 3; c++) for (let y = 0; y < 30; y++) for (let x = 0; x < 40; x++) m = Math.max(m, Math.abs(part.out[(c * h + y) * w + x]! - full.out[(c * h + y) * w + x]!));
    expect(m).toBeLessThan(1e-6);
    // far from it nothing ran: zero weight gives zeros
    expect(part.out[(h - 1) * w + w - 1]).toBe(0);
  });

  it('handles tiny images (1x1, 5x3) through strided models and upsamplers', async () => {
    for (const id of ['test-unet', 'arch-unet', 'test-upscale-x4']) {
      const e = dir.entries.find((x) => x.id === id)!;
      const noise = e.inputs.find((i) => i.role === 'noise_level');
      const extra: Record<string, TileSource> = noise ? { [noise.name]: constantSource(0.1) } : {};
      for (const [w, h] of [[1, 1], [5, 3]] as const) {
        const { out, tiles } = await tiled(id, randomImage(3, h, w, 1), w, h, 64, extra);
        expect(tiles).toBe(1);
        expect(out.length).toBe(3 * w * h * e.scale * e.scale);
        expect(out.every((v) => Number.isFinite(v))).toBe(true);
      }
    }
  });

  it('halves the tile and restarts after an allocation failure', async () => {
    const e = dir.entries.find((x) => x.id === 'test-upscale-x2')!;
    const session = await pool.get(dir.pathOf(e.id));
    const w = 90;
    const h = 70;
    const img = randomImage(3, h, w, 3);
    const out = new Float32Array(3 * h * 2 * w * 2);
    const shrinks: number[] = [];
    const res = await runTiledAdaptive(
      {
        width: w,
        height: h,
        inputs: { image: planeSource(img, w, h, 3) },
        run: (feeds) => {
          if (feeds.image!.dims[3]! > 40) throw new Error('Failed to allocate memory for requested buffer of size 123456');
          return session.run(feeds);
        },
        outChannels: 3,
        scale: 2,
        tile: 160,
        receptiveField: e.receptiveField,
        multipleOf: 1,
        sink: planeSink(out, w * 2, h * 2, 3),
      },
      { onShrink: (t) => shrinks.push(t) },
    );
    expect(shrinks).toEqual([80, 40]);
    expect(res.tile).toBe(40);
    expect(out.some((v) => v !== 0)).toBe(true);
  });

  it('does not retry errors that are not allocation failures', async () => {
    await expect(
      runTiledAdaptive({
        width: 10,
        height: 10,
        inputs: { image: constantSource(0.5, 3) },
        run: () => Promise.reject(new Error('model.onnx: inference failed: bad shape')),
        outChannels: 3,
        scale: 1,
        tile: 64,
        receptiveField: 3,
        multipleOf: 1,
        sink: { writeRows: () => undefined },
      }),
    ).rejects.toThrow(/bad shape/);
  });
});
