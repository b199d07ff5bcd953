// Gradient checks of every differentiable operator against central finite differences, through
// real ONNX Runtime sessions (small shapes, several random directions, relative error < 1e-3).
import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Value } from '../../models/onnx/graph';
import { Rng } from '../rng';
import { gradCheck, type Feed } from './gradcheck';
import { differentiate } from './differentiate';

const rng = new Rng(42);

/** Random values in [-1, 1] kept at least `gap` away from 0 (kinks of Relu, Abs, ...). */
function rand(n: number, gap = 0.05): Float32Array {
  return new Float32Array(n).map(() => {
    const v = rng.uniform(gap, 1);
    return rng.next() < 0.5 ? -v : v;
  });
}

const count = (dims: number[]): number => dims.reduce((a, b) => a * b, 1);

interface Case {
  name: string;
  build: (b: GraphBuilder, x: Value) => Value;
  x: number[];
  /** Extra trainable initializers created inside build (their names) checked as well. */
  params?: string[];
  eps?: number;
  xData?: (n: number) => Float32Array;
}

function param(b: GraphBuilder, name: string, dims: number[]): Value {
  return b.initializer(name, rand(count(dims)), dims, { trainable: true });
}

const cases: Case[] = [
  { name: 'Conv 3x3 pad 1', x: [2, 3, 6, 5], params: ['w', 'b'], build: (b, x) => b.conv(x, param(b, 'w', [4, 3, 3, 3]), param(b, 'b', [4]), { pads: [1, 1, 1, 1] }) },
  { name: 'Conv stride 2 asymmetric pad', x: [1, 2, 7, 6], params: ['w'], build: (b, x) => b.conv(x, param(b, 'w', [3, 2, 3, 3]), null, { pads: [1, 0, 0, 1], strides: [2, 2] }) },
  { name: 'Conv dilation 2', x: [1, 2, 7, 7], params: ['w'], build: (b, x) => b.conv(x, param(b, 'w', [2, 2, 3, 3]), null, { pads: [2, 2, 2, 2], dilations: [2, 2] }) },
  { name: 'Conv groups 2 stride 2', x: [2, 4, 6, 6], params: ['w', 'b'], build: (b, x) => b.conv(x, param(b, 'w', [6, 2, 3, 3]), param(b, 'b', [6]), { pads: [1, 1, 1, 1], strides: [2, 2], group: 2 }) },
  { name: 'Conv depthwise SAME_UPPER', x: [1, 3, 5, 5], params: ['w'], build: (b, x) => b.conv(x, param(b, 'w', [3, 1, 2, 2]), null, { group: 3, autoPad: 'SAME_UPPER' }) },
  { name: 'Conv stride 3 leftover pixels', x: [1, 2, 8, 8], params: ['w'], build: (b, x) => b.conv(x, param(b, 'w', [2, 2, 2, 2]), null, { strides: [3, 3] }) },
  { name: 'ConvTranspose stride 2', x: [1, 3, 4, 3], params: ['w', 'b'], build: (b, x) => b.convTranspose(x, param(b, 'w', [3, 2, 4, 4]), param(b, 'b', [2]), { strides: [2, 2], pads: [1, 1, 1, 1] }) },
  { name: 'ConvTranspose groups output_padding', x: [1, 4, 3, 3], params: ['w'], build: (b, x) => b.convTranspose(x, param(b, 'w', [4, 1, 3, 3]), null, { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1], group: 2 }) },
  { name: 'Relu', x: [2, 3, 4, 4], build: (b, x) => b.relu(x) },
  { name: 'LeakyRelu', x: [2, 3, 4, 4], build: (b, x) => b.leakyRelu(x, 0.2) },
  { name: 'PRelu per channel', x: [2, 3, 4, 4], params: ['s'], build: (b, x) => b.prelu(x, param(b, 's', [3, 1, 1])) },
  { name: 'Sigmoid', x: [2, 3, 4], build: (b, x) => b.sigmoid(x) },
  { name: 'Tanh', x: [2, 3, 4], build: (b, x) => b.tanh(x) },
  { name: 'Add broadcast', x: [2, 3, 4, 4], params: ['p'], build: (b, x) => b.add(x, param(b, 'p', [1, 3, 1, 1])) },
  { name: 'Sub broadcast', x: [2, 3, 4], params: ['p'], build: (b, x) => b.sub(param(b, 'p', [4]), x) },
  { name: 'Mul broadcast', x: [2, 3, 4, 4], params: ['p'], build: (b, x) => b.mul(x, param(b, 'p', [3, 1, 4])) },
  { name: 'Mul self', x: [3, 4], build: (b, x) => b.mul(x, x) },
  { name: 'Div', x: [2, 3, 4], params: ['p'], build: (b, x) => b.div(x, b.add(b.mul(param(b, 'p', [3, 1]), param(b, 'q', [3, 1])), 2)) },
  { name: 'Concat', x: [2, 3, 4, 4], params: ['p'], build: (b, x) => b.concat([x, param(b, 'p', [2, 2, 4, 4]), x], 1) },
  { name: 'Split', x: [2, 5, 3], build: (b, x) => { const [a, c] = b.split(x, [2, 3], 1) as [Value, Value]; return b.mul(b.slice(c, [0], [2], [1]), a); } },
  { name: 'Slice step 1', x: [2, 3, 6, 5], build: (b, x) => b.slice(x, [1, 1], [5, -1], [2, 3]) },
  { name: 'Slice strided and reversed', x: [2, 3, 7, 5], build: (b, x) => b.slice(x, [1, -1], [7, -100], [2, 3], [2, -2]) },
  { name: 'Reshape', x: [2, 3, 4], build: (b, x) => b.reshape(b.tanh(x), [4, 6]) },
  { name: 'Transpose', x: [2, 3, 4, 5], build: (b, x) => b.transpose(b.tanh(x), [0, 2, 3, 1]) },
  { name: 'DepthToSpace CRD', x: [1, 8, 3, 2], build: (b, x) => b.depthToSpace(x, 2, 'CRD') },
  { name: 'DepthToSpace DCR', x: [1, 8, 3, 2], build: (b, x) => b.depthToSpace(x, 2, 'DCR') },
  { name: 'SpaceToDepth', x: [1, 2, 4, 6], build: (b, x) => b.spaceToDepth(x, 2) },
  { name: 'Resize nearest x2', x: [1, 2, 3, 4], build: (b, x) => b.resize(x, { scales: [1, 1, 2, 2], mode: 'nearest' }) },
  { name: 'Resize nearest x1.5 half_pixel', x: [1, 2, 4, 4], build: (b, x) => b.resize(x, { sizes: [1, 2, 6, 6], mode: 'nearest', coordinateTransformationMode: 'half_pixel', nearestMode: 'round_prefer_floor' }) },
  { name: 'Resize linear x2', x: [1, 2, 3, 4], build: (b, x) => b.resize(x, { scales: [1, 1, 2, 2], mode: 'linear' }) },
  { name: 'Resize linear downscale align_corners', x: [1, 2, 7, 6], build: (b, x) => b.resize(x, { sizes: [1, 2, 4, 3], mode: 'linear', coordinateTransformationMode: 'align_corners' }) },
  { name: 'AveragePool 2x2', x: [2, 3, 6, 6], build: (b, x) => b.averagePool(x, { kernel: [2, 2], strides: [2, 2] }) },
  { name: 'AveragePool 3x3 pad exclude', x: [1, 2, 5, 6], build: (b, x) => b.averagePool(x, { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }) },
  { name: 'AveragePool include pad ceil', x: [1, 2, 6, 5], build: (b, x) => b.averagePool(x, { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: true, ceilMode: true }) },
  { name: 'ReduceMean', x: [2, 3, 4, 5], build: (b, x) => b.reduceMean(x, [1, 3], false) },
  { name: 'Pad constant', x: [1, 2, 3, 4], build: (b, x) => b.pad(x, [0, 0, 1, 2, 0, 0, 2, 1], { value: 0.5 }) },
  { name: 'Pad crop (negative)', x: [1, 2, 5, 4], build: (b, x) => b.pad(x, [0, 0, -1, 1, 0, 0, 1, -2]) },
  { name: 'Pad reflect', x: [1, 2, 4, 5], build: (b, x) => b.pad(x, [0, 0, 2, 1, 0, 0, 1, 2], { mode: 'reflect' }) },
  { name: 'Pad edge', x: [1, 2, 4, 5], build: (b, x) => b.pad(x, [0, 0, 2, 1, 0, 0, 1, 2], { mode: 'edge' }) },
  { name: 'Clip', x: [2, 3, 4], build: (b, x) => b.clip(x, -0.5, 0.6), xData: (n) => rand(n).map((v) => (Math.abs(Math.abs(v) - 0.55) < 0.03 ? v * 0.8 : v)) },
  { name: 'Abs, Sqrt, Neg (loss parts)', x: [2, 3, 4], build: (b, x) => b.op1('Neg', [b.op1('Sqrt', [b.add(b.op1('Abs', [x]), 0.1)])]) },
];

describe('gradient of every supported operator matches finite differences', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const b = new GraphBuilder('op');
      const x = b.input('x', 'float32', c.x);
      b.output(c.build(b, x), 'y');
      const model = b.build();
      const feeds: Record<string, Feed> = { x: { dims: c.x, data: (c.xData ?? rand)(count(c.x)) } };
      const trainables = (model.graph?.initializer ?? []).filter((t) => t.docString === 'trainable').map((t) => t.name ?? '');
      const res = await gradCheck(model, { feeds, wrt: ['x', ...trainables], eps: c.eps ?? 1e-2, directions: 3 });
      for (const r of res) expect(r.relErr, `${r.name}: analytic ${r.analytic} numeric ${r.numeric}`).toBeLessThan(1e-3);
      expect(res.length).toBe(3 * (1 + trainables.length));
    });
  }
});

describe('alternative formulations of Conv gradients', () => {
  const convCases = cases.filter((c) => c.name.startsWith('Conv '));
  for (const [label, grad] of [['taps weight gradient', { weightGrad: 'taps' }], ['per-tap MatMul weight gradient', { weightGrad: 'tapmm' }], ['conv weight gradient', { weightGrad: 'conv' }], ['ConvTranspose input gradient', { inputGradAsConv: false }]] as const) {
    for (const c of convCases) {
      it(`${label}: ${c.name}`, async () => {
        const b = new GraphBuilder('op');
        const x = b.input('x', 'float32', c.x);
        b.output(c.build(b, x), 'y');
        const model = b.build();
        const trainables = (model.graph?.initializer ?? []).filter((t) => t.docString === 'trainable').map((t) => t.name ?? '');
        const res = await gradCheck(model, { feeds: { x: { dims: c.x, data: rand(count(c.x)) } }, wrt: ['x', ...trainables], eps: 1e-2, grad });
        for (const r of res) expect(r.relErr, `${r.name}: analytic ${r.analytic} numeric ${r.numeric}`).toBeLessThan(1e-3);
      });
    }
  }
});

describe('unsupported operators', () => {
  it('fail with the node name and operator', async () => {
    const b = new GraphBuilder('bad');
    const x = b.input('x', 'float32', [1, 4]);
    b.output(b.op1('Softmax', [x], { axis: 1 }, 'my_softmax'), 'y');
    const model = b.build();
    await expect(differentiate(model, { loss: 'y', wrt: ['x'], inputs: { x: { dims: [1, 4] } } }))
      .rejects.toThrow(/node "my_softmax" \(Softmax\): operator not supported/);
  });
});
