// The benchmark's FLOP count from an ONNX graph, on a net whose arithmetic is known by hand: a
// stride-2 3x3 Conv 3 -> 8 (S/2 x S/2 outputs x 3 x 9 MACs each) and a 2x2 stride-2
// ConvTranspose 8 -> 3 back to S x S (S/2 x S/2 inputs x 3 x 4 MACs each), plus a 1x1 Conv with
// 2 groups; and a real architecture's count against its layer-by-layer sum.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../models/onnx/graph';
import { serializeModel } from '../../models/onnx/serialize';
import { dncnn } from '../../models/architectures/dncnn';
import type { ManifestEntry } from '../../models/manifest';
import { convFlopsPerPixel } from './flops';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flops-test-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const entry = (inputs: ManifestEntry['inputs'], multipleOf: number): ManifestEntry =>
  ({ inputs, multipleOf, output: { name: 'y', role: 'image', channels: 3 } }) as ManifestEntry;

describe('convFlopsPerPixel', () => {
  it('counts Conv (strided, grouped) and ConvTranspose multiply-adds from the graph', async () => {
    const g = new GraphBuilder('flops');
    const x = g.input('image', 'float32', [1, 3, 'h', 'w']);
    const down = g.conv(x, g.initializer('w1', new Float32Array(8 * 3 * 9), [8, 3, 3, 3]), null, { pads: [1, 1, 1, 1], strides: [2, 2] });
    const mixed = g.conv(down, g.initializer('w2', new Float32Array(8 * 4), [8, 4, 1, 1]), null, { group: 2 });
    const up = g.convTranspose(mixed, g.initializer('w3', new Float32Array(8 * 3 * 4), [8, 3, 2, 2]), null, { strides: [2, 2] });
    g.output(up, 'y');
    const file = path.join(dir, 'hand.onnx');
    await fs.writeFile(file, serializeModel(g.build()));
    // per input pixel: conv (3 x 9 x 8) / 4 + grouped 1x1 (4 x 8) / 4 + convT (8 x 3 x 4) / 4 = 54 + 8 + 24 MACs
    expect(await convFlopsPerPixel(file, entry([{ name: 'image', role: 'image', channels: 3 }], 2), 64)).toBe(2 * (54 + 8 + 24));
  });

  it('matches the layer sum of a DnCNN with a noise-level input', async () => {
    const arch = dncnn({ channels: 3, depth: 5, width: 16, noiseLevelInput: true, seed: 1 });
    const file = path.join(dir, 'dncnn.onnx');
    await fs.writeFile(file, serializeModel(arch.model));
    // first layer reads image + noise level (4 channels), 3 middle layers 16 -> 16, last 16 -> 3
    const macs = 9 * (4 * 16 + 3 * 16 * 16 + 16 * 3);
    expect(await convFlopsPerPixel(file, { ...entry(arch.inputs, arch.multipleOf) }, 48)).toBe(2 * macs);
  });
});
