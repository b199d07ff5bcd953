// Model cards rendered from manifest entries, with anchors on matching sets and settings.
import { afterAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ANCHORS, anchorsFor } from './anchors';
import { renderModelCard, writeModelCard } from './card';
import { ManifestEntry } from './manifest';

const entry = ManifestEntry.parse({
  id: 'dncnn-color-s25', name: 'DnCNN colour', task: 'denoise', file: 'dncnn-color-s25.onnx', sha256: 'a'.repeat(64),
  parameters: 557443, architecture: 'dncnn', receptiveField: 35,
  inputs: [{ name: 'image', role: 'image', channels: 3 }], output: { name: 'output', role: 'image', channels: 3 },
  training: { data: 'train/color/BSDS400', steps: 2000, seed: 1, seconds: 5400, machine: '2-core CPU', command: 'restore train --task denoise ...' },
  evaluation: [{ set: 'CBSD68', sigma: 25, protocol: 'float-unclipped', psnr: 30.1234 }, { set: 'MyHoldout', sigma: 25, psnr: 31 }],
});

const tmp = path.join(os.tmpdir(), `card-test-${process.pid}`);
afterAll(async () => { await fs.rm(tmp, { recursive: true, force: true }); });

describe('model cards', () => {
  it('has the published anchor table as data', () => {
    expect(anchorsFor('denoise', 'cbsd68', { sigma: 25 }).map((a) => `${a.method} ${a.psnr}`))
      .toEqual(['CBM3D 30.71', 'CDnCNN 31.23', 'FFDNet 31.21', 'DRUNet 31.69']);
    expect(anchorsFor('upscale', 'Set14', { scale: 4 }).find((a) => a.method === 'bicubic')?.psnr).toBe(26.0);
    expect(anchorsFor('denoise', 'BSD68', { sigma: 25 }).map((a) => a.psnr)).toEqual([28.57, 29.23, 29.19, 29.48]);
    expect(ANCHORS.filter((a) => a.task === 'upscale')).toHaveLength(6 * 4 * 2);
  });

  it('renders facts, provenance and evaluation next to the anchors', async () => {
    const md = renderModelCard(entry);
    expect(md).toContain('# DnCNN colour');
    expect(md).toContain('| parameters | 557.4 K (557,443) |');
    expect(md).toContain('time: 90.0 min on 2-core CPU');
    expect(md).toContain('| CBSD68 | sigma 25 | float-unclipped | 30.12 |  | CBM3D 30.71, CDnCNN 31.23, FFDNet 31.21, DRUNet 31.69 |');
    expect(md).toContain('| MyHoldout | sigma 25 |  | 31.00 |  |  |');
    const rel = await writeModelCard(tmp, entry);
    expect(rel).toBe('cards/dncnn-color-s25.md');
    expect(await fs.readFile(path.join(tmp, rel), 'utf8')).toBe(md);
  });

  it('appends the hand-written notes file under Notes', async () => {
    await fs.writeFile(path.join(tmp, 'cards', 'dncnn-color-s25.notes.md'), '![crops](img/a.png)\n\nLooked at: no seams.\n');
    const rel = await writeModelCard(tmp, entry);
    const md = await fs.readFile(path.join(tmp, rel), 'utf8');
    expect(md).toContain('## Notes\n\n![crops](img/a.png)\n\nLooked at: no seams.');
    expect(md.indexOf('## Evaluation')).toBeLessThan(md.indexOf('## Notes'));
  });
});
