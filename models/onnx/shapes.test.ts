// Shape inference checked against ONNX Runtime: every case is built twice, once with static input
// dims and once with symbolic H and W, run on real data, and the inferred shape (the symbolic one
// evaluated at the real H and W) must equal the shape ONNX Runtime produced. A few value checks
// pin down attribute semantics (Pad modes, Clip bounds, Resize, DepthToSpace order).
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { GraphBuilder, type Value } from './graph';
import { serializeModel } from './serialize';
import type { Dim } from './dims';
import { float, tensorAttr } from './attributes';
import { makeTensor } from './tensor';

interface Case {
  name: string;
  channels: number;
  h: number;
  w: number;
  build: (g: GraphBuilder, x: Value) => Value;
}

const f32 = (n: number, v = 0.1): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i + 1) * v);

const CASES: Case[] = [
  { name: 'conv pads/strides/dilations/group', channels: 4, h: 13, w: 17,
    build: (g, x) => g.conv(x, g.initializer('w', f32(6 * 2 * 9), [6, 2, 3, 3]), g.initializer('b', f32(6), [6]),
      { pads: [0, 1, 2, 0], strides: [2, 3], dilations: [2, 1], group: 2 }) },
  { name: 'conv SAME_UPPER stride 2', channels: 3, h: 9, w: 10,
    build: (g, x) => g.conv(x, g.initializer('w', f32(5 * 3 * 9), [5, 3, 3, 3]), null, { autoPad: 'SAME_UPPER', strides: [2, 2] }) },
  { name: 'conv 3x3 stride 2 pad 1', channels: 3, h: 9, w: 8,
    build: (g, x) => g.conv(x, g.initializer('w', f32(2 * 3 * 9), [2, 3, 3, 3]), null, { pads: [1, 1, 1, 1], strides: [2, 2] }) },
  { name: 'convTranspose stride 2 output_padding', channels: 3, h: 5, w: 7,
    build: (g, x) => g.convTranspose(x, g.initializer('w', f32(3 * 4 * 9), [3, 4, 3, 3]), g.initializer('b', f32(4), [4]),
      { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1] }) },
  { name: 'convTranspose 4x4 stride 2 group 3', channels: 3, h: 6, w: 5,
    build: (g, x) => g.convTranspose(x, g.initializer('w', f32(3 * 2 * 16), [3, 2, 4, 4]), null, { strides: [2, 2], pads: [1, 1, 1, 1], group: 3 }) },
  { name: 'activations', channels: 3, h: 4, w: 5,
    build: (g, x) => g.tanh(g.sigmoid(g.prelu(g.leakyRelu(g.relu(x), 0.2), g.initializer('s', f32(3), [3, 1, 1])))) },
  { name: 'arithmetic with broadcasting', channels: 3, h: 4, w: 5,
    build: (g, x) => g.div(g.mul(g.sub(g.add(x, g.initializer('b', f32(3), [1, 3, 1, 1])), 0.5), 2), g.initializer('d', f32(5, 1), [5])) },
  { name: 'concat', channels: 3, h: 4, w: 5, build: (g, x) => g.concat([x, g.relu(x), x], 1) },
  { name: 'split', channels: 3, h: 4, w: 6, build: (g, x) => { const [a, b] = g.split(x, [1, 2], 1); return g.add(g.concat([b!, a!], 1), x); } },
  { name: 'slice', channels: 3, h: 10, w: 9, build: (g, x) => g.slice(x, [1, 2], [2 ** 31 - 1, -1], [2, 3]) },
  { name: 'slice with steps', channels: 3, h: 10, w: 9, build: (g, x) => g.slice(x, [0, -1], [7, -(2 ** 31)], [2, 3], [2, -3]) },
  { name: 'slice reversed from end', channels: 3, h: 10, w: 9, build: (g, x) => g.slice(x, [-2, 2 ** 31 - 1], [1, -(2 ** 31)], [2, 3], [-1, -2]) },
  { name: 'slice negative ends', channels: 3, h: 10, w: 9, build: (g, x) => g.slice(x, [-3, 2], [-1, -2], [2, 3], [1, 3]) },
  { name: 'reshape 0 and -1', channels: 4, h: 6, w: 8, build: (g, x) => g.reshape(x, [0, 2, -1]) },
  { name: 'transpose', channels: 3, h: 4, w: 6, build: (g, x) => g.transpose(x, [0, 3, 1, 2]) },
  { name: 'depthToSpace', channels: 8, h: 3, w: 5, build: (g, x) => g.depthToSpace(x, 2) },
  { name: 'spaceToDepth', channels: 3, h: 6, w: 4, build: (g, x) => g.spaceToDepth(x, 2) },
  { name: 'resize nearest x2', channels: 3, h: 5, w: 7, build: (g, x) => g.resize(x, { scales: [1, 1, 2, 2] }) },
  { name: 'resize linear x0.5', channels: 3, h: 8, w: 6, build: (g, x) => g.resize(x, { scales: [1, 1, 0.5, 0.5], mode: 'linear' }) },
  { name: 'resize to sizes', channels: 2, h: 8, w: 6, build: (g, x) => g.resize(x, { sizes: [2, 2, 3, 4], mode: 'linear' }) },
  { name: 'averagePool', channels: 3, h: 9, w: 8, build: (g, x) => g.averagePool(x, { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }) },
  { name: 'averagePool ceil', channels: 3, h: 9, w: 8, build: (g, x) => g.averagePool(x, { kernel: [2, 2], strides: [2, 2], ceilMode: true }) },
  { name: 'reduceMean keepdims', channels: 3, h: 4, w: 6, build: (g, x) => g.reduceMean(x, [2, 3]) },
  { name: 'reduceMean drop', channels: 3, h: 4, w: 6, build: (g, x) => g.reduceMean(x, [1], false) },
  { name: 'pad reflect', channels: 3, h: 5, w: 6, build: (g, x) => g.pad(x, [0, 0, 1, 2, 0, 0, 3, 1], { mode: 'reflect' }) },
  { name: 'pad edge', channels: 3, h: 5, w: 6, build: (g, x) => g.pad(x, [0, 0, 2, 2, 0, 0, 2, 2], { mode: 'edge' }) },
  { name: 'pad constant', channels: 3, h: 5, w: 6, build: (g, x) => g.pad(x, [0, 0, 0, 1, 0, 0, 4, 0], { value: 0.5 }) },
  { name: 'clip', channels: 3, h: 5, w: 6, build: (g, x) => g.clip(g.clip(x, 0, 1), undefined, 0.5) },
  { name: 'matmul', channels: 3, h: 5, w: 6, build: (g, x) => g.matmul(x, g.initializer('m', f32(6 * 4), [6, 4])) },
  { name: 'gemm transB', channels: 3, h: 5, w: 6,
    build: (g, x) => g.reshape(g.gemm(g.reshape(x, [-1, 6]), g.initializer('m', f32(4 * 6), [4, 6]), g.initializer('c', f32(4), [4]),
      { transB: true, alpha: 0.5, beta: 2 }), [2, 3, -1, 4]) },
];

function evalDim(d: Dim, env: Record<string, number>): number {
  if (typeof d === 'number') return d;
  const expr = d.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (id) => {
    if (id === 'ceil' || id === 'floor') return `Math.${id}`;
    if (!(id in env)) throw new Error(`unknown symbol ${id} in ${d}`);
    return String(env[id]);
  });
  if (!/^[0-9+\-*/(). Mathceilfor]*$/.test(expr)) throw new Error(`unexpected expression ${expr}`);
  return Number(new Function(`return (${expr});`)());
}

async function runShape(g: GraphBuilder, out: Value, c: Case): Promise<{ dims: readonly number[]; data: Float32Array }> {
  g.output(out, 'y');
  const session = await ort.InferenceSession.create(serializeModel(g.build()));
  try {
    const input = Float32Array.from({ length: 2 * c.channels * c.h * c.w }, (_, i) => Math.cos(i * 0.37));
    const res = await session.run({ x: new ort.Tensor('float32', input, [2, c.channels, c.h, c.w]) });
    return { dims: res.y!.dims, data: res.y!.data as Float32Array };
  } finally {
    await session.release();
  }
}

describe('shape inference agrees with ONNX Runtime', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const gs = new GraphBuilder('static');
      const ys = c.build(gs, gs.input('x', 'float32', [2, c.channels, c.h, c.w]));
      const gd = new GraphBuilder('symbolic');
      const yd = c.build(gd, gd.input('x', 'float32', ['N', c.channels, 'H', 'W']));
      const actual = await runShape(gs, ys, c);
      expect(ys.shape).toEqual(actual.dims);
      expect(yd.shape).not.toBeNull();
      const env = { N: 2, H: c.h, W: c.w };
      expect(yd.shape!.map((d) => evalDim(d, env))).toEqual(actual.dims);
      // The symbolic model runs too (its declared output dims are expressions).
      const symbolic = await runShape(gd, yd, c);
      expect(symbolic.dims).toEqual(actual.dims);
    });
  }
});

async function runValues(build: (g: GraphBuilder, x: Value) => Value, input: number[], dims: number[]): Promise<number[]> {
  const g = new GraphBuilder('values');
  g.output(build(g, g.input('x', 'float32', dims)), 'y');
  const session = await ort.InferenceSession.create(serializeModel(g.build()));
  try {
    const res = await session.run({ x: new ort.Tensor('float32', Float32Array.from(input), dims) });
    return Array.from(res.y!.data as Float32Array);
  } finally {
    await session.release();
  }
}

describe('attribute semantics', () => {
  const row = [1, 2, 3, 4];
  it('Pad reflect, edge, constant', async () => {
    expect(await runValues((g, x) => g.pad(x, [0, 0, 0, 2, 0, 0, 0, 1], { mode: 'reflect' }), row, [1, 1, 1, 4])).toEqual([3, 2, 1, 2, 3, 4, 3]);
    expect(await runValues((g, x) => g.pad(x, [0, 0, 0, 2, 0, 0, 0, 1], { mode: 'edge' }), row, [1, 1, 1, 4])).toEqual([1, 1, 1, 2, 3, 4, 4]);
    expect(await runValues((g, x) => g.pad(x, [0, 0, 0, 1, 0, 0, 0, 1], { value: 9 }), row, [1, 1, 1, 4])).toEqual([9, 1, 2, 3, 4, 9]);
  });
  it('Clip with min and max inputs', async () => {
    expect(await runValues((g, x) => g.clip(x, 1.5, 3), row, [4])).toEqual([1.5, 2, 3, 3]);
    expect(await runValues((g, x) => g.clip(x, undefined, 2), row, [4])).toEqual([1, 2, 2, 2]);
  });
  it('Resize nearest x2 replicates pixels; linear halves by averaging', async () => {
    expect(await runValues((g, x) => g.resize(x, { scales: [1, 1, 1, 2] }), [1, 2], [1, 1, 1, 2])).toEqual([1, 1, 2, 2]);
    expect(await runValues((g, x) => g.resize(x, { scales: [1, 1, 1, 0.5], mode: 'linear' }), row, [1, 1, 1, 4])).toEqual([1.5, 3.5]);
  });
  it('DepthToSpace CRD is PyTorch PixelShuffle order; SpaceToDepth inverts DCR', async () => {
    // 4 channels of one pixel each -> one 2x2 block in channel order (0,0),(0,1),(1,0),(1,1).
    expect(await runValues((g, x) => g.depthToSpace(x, 2), row, [1, 4, 1, 1])).toEqual([1, 2, 3, 4]);
    const img = Array.from({ length: 16 }, (_, i) => i);
    expect(await runValues((g, x) => g.depthToSpace(g.spaceToDepth(x, 2), 2, 'DCR'), img, [1, 1, 4, 4])).toEqual(img);
  });
  it('ConvTranspose output_padding adds one row and column', async () => {
    const out = await runValues((g, x) => g.convTranspose(x, g.initializer('w', Float32Array.of(1, 1, 1, 1), [1, 1, 2, 2]), null,
      { strides: [2, 2], outputPadding: [1, 1] }), [1, 2, 3, 4], [1, 1, 2, 2]);
    expect(out).toEqual([1, 1, 2, 2, 0, 1, 1, 2, 2, 0, 3, 3, 4, 4, 0, 3, 3, 4, 4, 0, 0, 0, 0, 0, 0]);
  });
});

describe('shape errors', () => {
  it('names the op and the shapes', () => {
    const g = new GraphBuilder('e');
    const x = g.input('x', 'float32', [1, 3, 4, 5]);
    expect(() => g.add(x, g.initializer('b', new Float32Array(4), [4]))).toThrow(/Add node "Add": shapes \[1, 3, 4, 5\] and \[4\] do not broadcast/);
    expect(() => g.concat([x, g.input('z', 'float32', [1, 3, 5, 5])], 1)).toThrow(/inputs differ in dimension 2/);
    expect(() => g.reshape(x, [7, -1])).toThrow(/cannot reshape 60 elements/);
    expect(() => g.depthToSpace(x, 2)).toThrow(/3 channels are not divisible by blocksize\^2 = 4/);
    expect(() => g.pad(x, [0, 0, 4, 0, 0, 0, 0, 0], { mode: 'reflect' })).toThrow(/reflect padding 4 needs a dimension larger than 4/);
    expect(() => g.split(x, [1, 1], 1)).toThrow(/do not add up to 3/);
  });
  it('Constant nodes take the shape of their value', async () => {
    const g = new GraphBuilder('k');
    const x = g.input('x', 'float32', [2, 3]);
    const k = g.op1('Constant', [], { value: tensorAttr(makeTensor('v', Float32Array.of(1, 2, 3), [1, 3])) });
    expect(k.shape).toEqual([1, 3]);
    expect(g.op1('Constant', [], { value_ints: [1, 2] })).toMatchObject({ shape: [2], dtype: 'int64' });
    expect(g.op1('Constant', [], { value_float: float(2) })).toMatchObject({ shape: [], dtype: 'float32' });
    const shape = g.op1('Constant', [], { value: tensorAttr(makeTensor('s', BigInt64Array.of(3n, 2n), [2])) });
    expect(g.op1('Reshape', [x, shape]).shape).toEqual([3, 2]);
    g.output(g.add(x, k), 'y');
    const session = await ort.InferenceSession.create(serializeModel(g.build()));
    const res = await session.run({ x: new ort.Tensor('float32', new Float32Array(6), [2, 3]) });
    expect(Array.from(res.y!.data as Float32Array)).toEqual([1, 2, 3, 1, 2, 3]);
    await session.release();
  });
  it('unknown operators get unknown shapes', () => {
    const g = new GraphBuilder('u');
    const x = g.input('x', 'float32', [1, 3, 4, 5]);
    const y = g.op1('SomeCustomOp', [x]);
    expect(y.shape).toBeNull();
    expect(g.relu(y).shape).toBeNull();
  });
});
