// The noise-estimator evaluation on a real set (Set12, the protocol's seed-0 noise): both methods
// and both protocols are scored, the engine's estimator is far closer than the plain MAD baseline
// on clipped sigma-75 files, and `restore eval --task noise-estimate` prints the rows (or a
// one-line error for a bad set).
import { describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/commands/eval';
import type { CliIO } from '../../electron/cli/io';
import { evalNoiseEstimate } from './noiseEstimate';

const SET12 = '/work/shared/data/eval/Set12';

function io(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [], err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), isTTY: false, cwd: process.cwd(), env: {}, onInterrupt: () => () => undefined };
}

describe('noise estimator evaluation', () => {
  it('scores the estimator and the baseline on Set12 at sigma 75, float, 8-bit and JPEG', async () => {
    const rows = await evalNoiseEstimate(SET12, 75);
    expect(rows).toHaveLength(6);
    const row = (method: string, protocol: string) => rows.find((r) => r.method === method && r.protocol === protocol)!;
    for (const r of rows) {
      expect(r.images).toBe(12);
      expect(r.maxAbsError).toBeGreaterThanOrEqual(r.meanAbsError);
      expect(Math.abs(r.bias)).toBeLessThanOrEqual(r.meanAbsError + 1e-9);
    }
    // clipping at 0 and 255 hides noise from the plain MAD rule (measured -11 on Set12); the clipped-noise model recovers it
    expect(row('immerkaer-mad', '8bit-clipped').bias).toBeLessThan(-5);
    expect(row('restore', '8bit-clipped').meanAbsError).toBeLessThan(2);
    expect(row('restore', 'float-unclipped').meanAbsError).toBeLessThan(1);
    // JPEG q75 both smooths the noise and adds its own block artefacts: reported, within a few sigma units
    expect(row('restore', 'jpeg-q75').meanAbsError).toBeLessThan(10);
  });

  it('restore eval --task noise-estimate prints rows and a summary; a bad set is a one-line error', async () => {
    const a = io();
    expect(await run(['--task', 'noise-estimate', '--set', SET12, '--sigma', '15', '--json'], a)).toBe(0);
    const lines = a.out.join('').trim().split('\n').map((l) => JSON.parse(l) as { type: string; sigma?: number; method?: string });
    expect(lines.filter((l) => l.type === 'noise-estimate')).toHaveLength(6);
    expect(lines.every((l) => l.type === 'summary' || l.sigma === 15)).toBe(true);
    expect(lines[lines.length - 1]!.type).toBe('summary');
    const b = io();
    expect(await run(['--task', 'noise-estimate', '--set', '/nonexistent/set'], b)).toBe(1);
    expect(b.err.join('')).toMatch(/^restore eval: \/nonexistent\/set: [^\n]*\n$/);
  });
});
