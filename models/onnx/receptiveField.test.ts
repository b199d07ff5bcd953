// The receptive-field walk on hand-built graphs (ConvTranspose, pooling, Pad, dilation, linear
// resize) against the delta-impulse probe, and its errors on graphs that mix positions globally.
import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Value } from './graph';
import { receptiveField } from './receptiveField';
import { probeMargin, pseudoRandom } from '../testing/probe';

function model(build: (g: GraphBuilder, x: Value) => Value): { model: ReturnType<GraphBuilder['build']>; inputs: { name: string; channels: number }[]; output: { name: string } } {
  const g = new GraphBuilder('rf');
  g.output(build(g, g.input('x', 'float32', [1, 2, 'H', 'W'])), 'y');
  return { model: g.build(), inputs: [{ name: 'x', channels: 2 }], output: { name: 'y' } };
}

let seed = 1;
const w = (g: GraphBuilder, dims: number[]): Value =>
  g.initializer(g.uniqueName('w'), pseudoRandom(dims.reduce((a, b) => a * b, 1), seed++).map((v) => v - 0.4), dims);

describe('receptiveField', () => {
  const cases: { name: string; build: (g: GraphBuilder, x: Value) => Value; scale?: number }[] = [
    { name: 'dilated conv + average pool', build: (g, x) => g.averagePool(g.conv(x, w(g, [2, 2, 3, 3]), null, { pads: [2, 2, 2, 2], dilations: [2, 2] }), { kernel: [3, 3], pads: [1, 1, 1, 1] }) },
    { name: 'strided conv + ConvTranspose back', build: (g, x) => g.convTranspose(g.conv(x, w(g, [2, 2, 3, 3]), null, { pads: [1, 1, 1, 1], strides: [2, 2] }), w(g, [2, 2, 4, 4]), null, { strides: [2, 2], pads: [1, 1, 1, 1] }) },
    { name: 'pad reflect + valid conv', build: (g, x) => g.conv(g.pad(x, [0, 0, 2, 2, 0, 0, 2, 2], { mode: 'reflect' }), w(g, [2, 2, 5, 5]), null) },
    { name: 'bilinear x2 then conv', build: (g, x) => g.conv(g.resize(x, { scales: [1, 1, 2, 2], mode: 'linear' }), w(g, [2, 2, 3, 3]), null, { pads: [1, 1, 1, 1] }), scale: 2 },
    { name: 'space-to-depth + conv + depth-to-space', build: (g, x) => g.depthToSpace(g.conv(g.spaceToDepth(x, 2), w(g, [8, 8, 3, 3]), null, { pads: [1, 1, 1, 1] }), 2) },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const m = model(c.build);
      const rf = receptiveField(m.model);
      const measured = await probeMargin(m, 24, [[11, 11], [12, 12], [12, 11]], c.scale ?? 1);
      expect(measured).toBe(Math.max(-rf.lo, rf.hi));
      expect(rf.field).toBe(2 * rf.margin + 1);
    });
  }

  it('refuses graphs that mix positions globally, naming the node', () => {
    expect(() => receptiveField(model((g, x) => g.mul(x, g.reduceMean(x, [2, 3]))).model))
      .toThrow(/ReduceMean node "ReduceMean": operator not understood/);
    expect(() => receptiveField(model((g, x) => g.reshape(x, [1, 2, -1, 1])).model)).toThrow(/Reshape node/);
  });
});
