// Self-ensemble: the eight transforms and their inverses on non-square planes, and the tiled
// self-ensemble of real ONNX Runtime sessions (a strided U-Net, an x4 sub-pixel model) against
// the mean of whole-image runs on the transformed images.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionPool } from './ort';
import { addUntransformed, DIHEDRAL_TRANSFORMS, ROTATION_TRANSFORMS, selfEnsembleRun, transformedSize, transformPlanes } from './selfEnsemble';
import { constantSource, planeSink, planeSource } from './sources';
import { runTiled, type RunTile, type TileSource } from './tiling';
import { unet } from '../../models/architectures/unet';
import { subpixelUpsampler } from '../../models/architectures/subpixel';
import { fromArchitecture, writeModelDir, type ModelDir } from './test/models';

function ramp(c: number, h: number, w: number): Float32Array {
  return Float32Array.from({ length: c * h * w }, (_, i) => Math.sin(i * 0.37) + i / 1000);
}

describe('dihedral transforms', () => {
  const [c, h, w] = [2, 5, 7];
  const img = ramp(c, h, w);
  const at = (a: Float32Array, k: number, y: number, x: number, ww: number, hh: number): number => a[(k * hh + y) * ww + x]!;

  it('are the eight distinct flips, rotations and transposes', () => {
    const seen = new Set<string>();
    for (const t of DIHEDRAL_TRANSFORMS) seen.add(Array.from(transformPlanes(img, c, h, w, t)).join());
    expect(seen.size).toBe(8);
    // spot checks: 1 mirrors columns, 2 mirrors rows, 3 is the 180-degree rotation, 4 transposes
    const [t1, t2, t3, t4] = [1, 2, 3, 4].map((t) => transformPlanes(img, c, h, w, t));
    expect(transformedSize(4, h, w)).toEqual([w, h]);
    for (let k = 0; k < c; k++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const v = at(img, k, y, x, w, h);
          expect(at(t1!, k, y, w - 1 - x, w, h)).toBe(v);
          expect(at(t2!, k, h - 1 - y, x, w, h)).toBe(v);
          expect(at(t3!, k, h - 1 - y, w - 1 - x, w, h)).toBe(v);
          expect(at(t4!, k, x, y, h, w)).toBe(v);
        }
  });

  it('are undone exactly by addUntransformed', () => {
    for (const t of DIHEDRAL_TRANSFORMS) {
      const acc = new Float32Array(img.length);
      addUntransformed(transformPlanes(img, c, h, w, t), c, h, w, t, acc);
      expect(Array.from(acc)).toEqual(Array.from(img));
    }
  });

  it('leave an equivariant model unchanged: the ensemble of a per-pixel map is that map', async () => {
    const run: RunTile = async (feeds) => {
      const f = feeds.image!;
      return { data: f.data.map((v) => 2 * v + 1), dims: f.dims };
    };
    const out = await selfEnsembleRun(run)({ image: { data: img, dims: [1, c, h, w] } });
    expect(out.dims).toEqual([1, c, h, w]);
    out.data.forEach((v, i) => expect(v).toBeCloseTo(2 * img[i]! + 1, 5));
  });

  it('the four rotations turn a plane by 90 degrees at a time, and their mean of a one-sided filter is direction-free', async () => {
    // 5 turns the plane clockwise: the pixel at (y, x) goes to (x, h - 1 - y) of the w x h plane.
    const r = transformPlanes(img, c, h, w, 5);
    expect(at(r, 1, 2, h - 1 - 0, h, w)).toBe(at(img, 1, 0, 2, w, h));
    const seen = new Set(ROTATION_TRANSFORMS.map((t) => Array.from(transformPlanes(img, c, h, w, t)).join()));
    expect(seen.size).toBe(4);
    // A filter that looks only to the right (x + 1 - x): averaged over the four turns, it looks
    // right, down, left and up alike, i.e. a quarter of the 4-neighbour Laplacian inside the plane.
    const right: RunTile = async (feeds) => {
      const f = feeds.image!;
      const [fh, fw] = [f.dims[2]!, f.dims[3]!];
      const out = new Float32Array(f.data.length);
      for (let k = 0; k < f.dims[1]!; k++) for (let y = 0; y < fh; y++) for (let x = 0; x < fw - 1; x++) {
        out[(k * fh + y) * fw + x] = f.data[(k * fh + y) * fw + x + 1]! - f.data[(k * fh + y) * fw + x]!;
      }
      return { data: out, dims: f.dims };
    };
    const out = await selfEnsembleRun(right, ROTATION_TRANSFORMS)({ image: { data: img, dims: [1, c, h, w] } });
    for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) {
      const v = (at(img, 0, y, x + 1, w, h) + at(img, 0, y + 1, x, w, h) + at(img, 0, y, x - 1, w, h) + at(img, 0, y - 1, x, w, h) - 4 * at(img, 0, y, x, w, h)) / 4;
      expect(at(out.data, 0, y, x, w, h)).toBeCloseTo(v, 5);
    }
  });
});

describe('tiled self-ensemble with real ONNX Runtime sessions', () => {
  let dir: ModelDir;
  let pool: SessionPool;
  beforeAll(async () => {
    dir = await writeModelDir([
      fromArchitecture(
        'arch-unet',
        'denoise',
        unet({ inChannels: 3, outChannels: 3, widths: [6, 8, 10], seed: 21, residual: true, extraInputs: [{ name: 'noise_level', role: 'noise_level', channels: 1 }] }),
      ),
      fromArchitecture('arch-subpixel-x4', 'upscale', subpixelUpsampler({ scale: 4, width: 8, depth: 2, seed: 22 }), 4),
    ]);
    pool = new SessionPool({ provider: 'cpu', threads: 2 });
  });
  afterAll(async () => {
    await pool.releaseAll();
    await dir.cleanup();
  });

  for (const [id, w, h, tile] of [['arch-unet', 124, 92, 64], ['arch-subpixel-x4', 44, 36, 24]] as const) {
    it(`${id}: tiled ensemble at tile ${tile} equals the mean of whole-image runs on the 8 transformed images`, async () => {
      const e = dir.entries.find((x) => x.id === id)!;
      const s = e.scale;
      const session = await pool.get(dir.pathOf(id));
      const img = ramp(3, h, w).map((v) => 0.5 + 0.25 * v / (1 + Math.abs(v)));
      const noise = e.inputs.find((i) => i.role === 'noise_level');
      const extra: Record<string, TileSource> = noise ? { [noise.name]: constantSource(25 / 255) } : {};
      const once: RunTile = (feeds) => {
        const d = Object.values(feeds)[0]!.dims;
        return session.run(feeds, { outputDims: [1, 3, d[2]! * s, d[3]! * s] });
      };
      const tiled = async (run: RunTile, t: number): Promise<Float32Array> => {
        const out = new Float32Array(3 * h * s * w * s);
        await runTiled({
          width: w, height: h, inputs: { image: planeSource(img, w, h, 3), ...extra }, run, outChannels: 3, scale: s,
          tile: t, receptiveField: e.receptiveField, multipleOf: e.multipleOf, sink: planeSink(out, w * s, h * s, 3),
        });
        return out;
      };
      const ensembleTiled = await tiled(selfEnsembleRun(once), tile);
      const plain = await tiled(once, tile);

      // Reference: every transform of the whole image (sizes are multiples of multipleOf) through one session run.
      const ref = new Float32Array(3 * h * s * w * s);
      for (const t of DIHEDRAL_TRANSFORMS) {
        const [th, tw] = transformedSize(t, h, w);
        const feeds: Record<string, { data: Float32Array; dims: number[] }> = { image: { data: transformPlanes(img, 3, h, w, t), dims: [1, 3, th, tw] } };
        if (noise) feeds[noise.name] = { data: new Float32Array(th * tw).fill(25 / 255), dims: [1, 1, th, tw] };
        const out = await session.run(feeds, { outputDims: [1, 3, th * s, tw * s] });
        addUntransformed(out.data, 3, h * s, w * s, t, ref);
      }
      ref.forEach((_, i) => (ref[i]! /= 8));

      const border = (Math.ceil(e.receptiveField / 2) + e.multipleOf) * s;
      let diff = 0, gain = 0;
      for (let c = 0; c < 3; c++)
        for (let y = border; y < h * s - border; y++)
          for (let x = border; x < w * s - border; x++) {
            const i = (c * h * s + y) * w * s + x;
            diff = Math.max(diff, Math.abs(ensembleTiled[i]! - ref[i]!));
            gain = Math.max(gain, Math.abs(plain[i]! - ref[i]!));
          }
      expect(diff).toBeLessThan(1e-4);
      // and the ensemble is not the plain model: a random network is far from equivariant
      expect(gain).toBeGreaterThan(Math.max(5 * diff, 1e-4));
    });
  }
});
