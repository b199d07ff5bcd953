// The whole-file benchmark rows end to end (dist/bench.js, small seeded test models): listing of
// infer-12mp/<denoise id>, upscale-1mp-x4/<x4 id> and upscale-16mp/<upscale id>; the 12 MP denoise
// row through the engine (file in, file out) with its FLOP-based roofline fraction; the 16 MP
// upscale row's output size and RSS limit; the 12 MP colorize row; the self-ensemble row against its plain run; the
// 24 MP split-scan row (four prints found); the
// tiling profiler (dist/tilingProfile.js).
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { bench, ROOT, useTestModels } from './helpers';

const models = useTestModels();

async function benchRow(only: string): Promise<Record<string, number | string | boolean>> {
  const { stdout } = await bench(['--json', '--tile', '512', '--only', only, '--models-dir', models().dir], { timeout: 300_000 });
  const rows = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string | boolean>);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('whole-file bench rows', () => {
  it('lists a 12 MP row per denoise model and the upscale rows per upscale model', async () => {
    const all = (await bench(['--list', '--models-dir', models().dir])).stdout.trim().split('\n');
    expect(all).toEqual(expect.arrayContaining([
      'infer-12mp/test-denoise-color', 'infer-12mp/test-denoise-gray',
      'upscale-1mp-x4/test-upscale-x4', 'upscale-16mp/test-upscale-x2', 'upscale-16mp/test-upscale-x4',
    ]));
    expect(all).not.toContain('upscale-1mp-x4/test-upscale-x2');
  });

  it('denoises a 12 MP photo end to end and reports the roofline fraction', async () => {
    const r = await benchRow('infer-12mp/test-denoise-color');
    expect(r.name).toBe('infer-12mp/test-denoise-color');
    const seconds = Number(r.seconds);
    expect(Number(r.mpPerSec)).toBeCloseTo(12 / seconds, 2);
    expect(Number(r.readSeconds) + Number(r.denoiseSeconds) + Number(r.writeSeconds)).toBeLessThanOrEqual(seconds * 1.01);
    // test-denoise-color: concat(image, sigma) -> 4 convs 3x3 (4->8, 8->8, 8->8, 8->3)
    expect(Number(r.mflopPerPixel) / ((2 * 9 * (4 * 8 + 8 * 8 + 8 * 8 + 8 * 3)) / 1e6)).toBeCloseTo(1, 2); // 3 significant digits
    expect(Number(r.gflops) / ((Number(r.mflopPerPixel) * 12e6 * 1e6) / seconds / 1e9)).toBeCloseTo(1, 1); // MFLOP/px x 12 MP / s
    expect(Number(r.rooflineFraction)).toBeCloseTo(Number(r.gflops) / Number(r.rooflineGflops), 2);
    expect(Number(r.rooflineGflops)).toBeGreaterThan(1);
    expect(r.tile).toBe(512);
    expect(Number(r.peakRssMb)).toBeGreaterThan(50);
  }, 300_000);

  it('measures the self-ensemble against the plain run for denoise and upscale models only', async () => {
    const all = (await bench(['--list', '--models-dir', models().dir])).stdout.trim().split('\n');
    expect(all).toEqual(expect.arrayContaining(['infer-tta/test-denoise-color', 'infer-tta/test-denoise-gray', 'infer-tta/test-upscale-x2', 'infer-tta/test-upscale-x4']));
    expect(all.filter((n) => n.startsWith('infer-tta/') && !/denoise|upscale/.test(n))).toEqual([]);
    const r = await benchRow('infer-tta/test-denoise-color');
    expect(r.passes).toBe(8);
    expect(Number(r.mpPerSec)).toBeCloseTo(Number(r.megapixels) / Number(r.seconds), 1);
    expect(Number(r.slowdown)).toBeCloseTo(Number(r.plainMpPerSec) / Number(r.mpPerSec), 1);
    // Eight model runs per tile plus the transforms: well over twice the plain run's time.
    expect(Number(r.slowdown)).toBeGreaterThan(2);
  }, 300_000);

  it('splits a 24 MP scan of four prints and finds the four', async () => {
    const r = await benchRow('split-scan-24mp');
    expect(r.prints).toBe(4);
    expect(Number(r.mpPerSec)).toBeCloseTo(24 / Number(r.seconds), 1);
    expect(Number(r.peakRssMb)).toBeGreaterThan(50);
  }, 300_000);

  it('profiles a tiled run: the tile plan, and model time apart from the rest', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist', 'tilingProfile.js'), models().dir, 'test-upscale-x2', '64', '300', '200', '1']);
    const r = JSON.parse(stdout) as Record<string, number | string>;
    expect(r).toMatchObject({ model: 'test-upscale-x2', width: 300, height: 200, tile: 64, threads: 1 });
    // 64-pixel tiles with context cover 300 x 200 in several windows per axis, each computed more than once.
    expect(Number(r.windowsX)).toBeGreaterThan(300 / 64);
    expect(Number(r.windowsY)).toBeGreaterThan(200 / 64);
    expect(Number(r.computedPerPixel)).toBeGreaterThan(1);
    expect(Number(r.modelSeconds) + Number(r.otherSeconds)).toBeCloseTo(Number(r.seconds), 1);
    expect(Math.abs((Number(r.mpPerSec) * Number(r.seconds)) / 0.06 - 1)).toBeLessThan(0.15); // both rounded
  }, 120_000);

  it('colourizes a 12 MP gray photo end to end, with the time and memory budget', async () => {
    const all = (await bench(['--list', '--models-dir', models().dir])).stdout.trim().split('\n');
    expect(all).toContain('colorize-12mp/test-colorize');
    // Over the budget (a busy machine) the row fails and bench exits 1: the exit code must say so.
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, [path.join(ROOT, 'dist', 'bench.js'), '--json', '--only', 'colorize-12mp/test-colorize', '--models-dir', models().dir], { timeout: 300_000 }, (err, out) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout: out });
      });
    });
    const rows = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string | boolean>);
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(code).toBe(r.withinLimit ? 0 : 1);
    const seconds = Number(r.seconds);
    expect(Number(r.mpPerSec)).toBeCloseTo(12 / seconds, 1);
    expect(Number(r.readSeconds) + Number(r.colorizeSeconds) + Number(r.writeSeconds)).toBeLessThanOrEqual(seconds * 1.01);
    expect(r.workingSize).toBe(64);
    expect(r.withinLimit).toBe(seconds < Number(r.limitSeconds) && Number(r.peakRssMb) < Number(r.limitRssMb));
    expect(Number(r.peakRssMb)).toBeGreaterThan(50);
  }, 300_000);

  it('upscales to a >= 16 MP output under the RSS limit', async () => {
    const r = await benchRow('upscale-16mp/test-upscale-x4');
    expect(Number(r.outputMp)).toBeGreaterThanOrEqual(16);
    expect(Number(r.inputMp)).toBeCloseTo(Number(r.outputMp) / 16, 2);
    expect(Number(r.outputMpPerSec)).toBeCloseTo(Number(r.outputMp) / Number(r.seconds), 1);
    expect(r.withinLimit).toBe(true);
    expect(Number(r.peakRssMb)).toBeLessThan(Number(r.limitRssMb));
  }, 300_000);
});
