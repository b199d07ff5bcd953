// The headline scores the Models view and `restore models` show: one row per benchmark set.
import { describe, expect, it } from 'vitest';
import { headlineEvaluation } from './headline';

describe('headlineEvaluation', () => {
  it('keeps one row per benchmark set: published protocol, sigma 25 first; the held-out row only alone', async () => {
    const rows = [
      { set: 'held-out split (45 images)', psnr: 29.3 },
      { set: 'CBSD68', sigma: 15, protocol: 'float-unclipped', psnr: 33.57 },
      { set: 'CBSD68', sigma: 25, protocol: '8bit-clipped', psnr: 30.42 },
      { set: 'CBSD68', sigma: 25, protocol: 'float-unclipped', psnr: 30.98 },
      { set: 'McMaster', sigma: 25, protocol: '8bit-clipped', psnr: 30.27 },
    ];
    expect(headlineEvaluation(rows)).toEqual([rows[3], rows[4]]);
    expect(headlineEvaluation([rows[0] as (typeof rows)[number]])).toEqual([rows[0]]);
  });
});

describe('restore models quality column (shipped manifest)', () => {
  it('gives benchmark rows, not the training runs\' own held-out splits, and the detector\'s F1 per set', async () => {
    const path = await import('node:path');
    const { loadManifest } = await import('./registry');
    const { qualityOf } = await import('../electron/cli/commands/models');
    const entries = await loadManifest(path.resolve(__dirname));
    const quality = new Map(entries.map((e) => [e.id, qualityOf(e)]));
    for (const [id, q] of quality) expect(q, id).not.toMatch(/held-out/);
    expect(quality.get('denoise-color')).toMatch(/^CBSD68 s25 \d+\.\d\d dB; McMaster s25 \d+\.\d\d dB$/);
    expect(quality.get('upscale-x4')).toMatch(/^Set5 x4 \d+\.\d\d dB; Set14 x4 \d+\.\d\d dB$/);
    expect(quality.get('detect-damage')).toMatch(/^CBSD68 F1 0\.\d\d; McMaster F1 0\.\d\d; Set12 F1 0\.\d\d$/);
  });
});
