// The benchmark harness end to end (dist/bench.js): row listing and --only filtering, an
// infer/<model id> row for an installed model measured in a child process (JSON line with
// mpPerSec, tile, peakRssMb), and the table output.
import { describe, expect, it } from 'vitest';
import { formatTable } from '../../electron/bench/table';
import { bench, useTestModels } from './helpers';

const models = useTestModels();

describe('bench', () => {
  it('lists rows: roofline, installed models, references, the 50 MP row; --only filters by prefix', async () => {
    const all = (await bench(['--list', '--models-dir', models().dir])).stdout.trim().split('\n');
    expect(all).toEqual(expect.arrayContaining(['roofline/conv3x3', 'infer/test-denoise-color', 'infer/test-upscale-x4', 'infer/ref-dncnn17', 'infer/ref-unet3', 'infer-large/ref-dncnn3-50mp']));
    const only = (await bench(['--list', '--only', 'infer-large', '--models-dir', models().dir])).stdout.trim().split('\n');
    expect(only).toEqual(['infer-large/ref-dncnn3-50mp']);
    const none = await bench(['--only', 'nope/']).then(() => null, (e: { code: number; stderr: string }) => e);
    expect(none?.code).toBe(2);
    expect(none?.stderr).toContain('bench: no row name starts with "nope/"');
  });

  it('measures an installed model in a child process', async () => {
    const { stdout } = await bench(['--json', '--only', 'infer/test-upscale-x2', '--models-dir', models().dir], { timeout: 60_000 });
    const rows = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.name).toBe('infer/test-upscale-x2');
    expect(row.mpPerSec).toBeGreaterThan(0);
    expect(row.tile).toBe(64);
    expect(row.peakRssMb).toBeGreaterThan(20);
    expect(row.peakRssMb).toBeLessThan(1500);
  });

  it('formats a table with a column per field', () => {
    const t = formatTable([{ name: 'a/b', gflops: 12.5 }, { name: 'infer/x', mpPerSec: 0.25, tile: 512 }]);
    expect(t.split('\n')).toEqual(['name     gflops  mpPerSec  tile', '-------  ------  --------  ----', 'a/b        12.5', 'infer/x              0.25   512', '']);
  });
});
