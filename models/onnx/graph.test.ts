// GraphBuilder end to end: build a small conv net, serialize it, run it in a real ONNX Runtime
// session and compare with a plain JavaScript convolution.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from './graph';
import { parseModel, serializeModel } from './serialize';
import { trainableInitializers } from './trainable';
import { readTensor } from './tensor';

/** Reference 2-D convolution, NCHW, zero padding, batch 1. */
function refConv(
  x: Float32Array, c: number, h: number, w: number,
  weight: Float32Array, bias: Float32Array, m: number, k: number,
  pad: number, stride: number, dil = 1,
): { data: Float32Array; h: number; w: number } {
  const oh = Math.floor((h + 2 * pad - dil * (k - 1) - 1) / stride) + 1;
  const ow = Math.floor((w + 2 * pad - dil * (k - 1) - 1) / stride) + 1;
  const out = new Float32Array(m * oh * ow);
  for (let o = 0; o < m; o++) {
    for (let y = 0; y < oh; y++) {
      for (let xx = 0; xx < ow; xx++) {
        let s = bias[o] ?? 0;
        for (let ci = 0; ci < c; ci++) {
          for (let ky = 0; ky < k; ky++) {
            for (let kx = 0; kx < k; kx++) {
              const iy = y * stride - pad + ky * dil;
              const ix = xx * stride - pad + kx * dil;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              s += (x[(ci * h + iy) * w + ix] ?? 0) * (weight[((o * c + ci) * k + ky) * k + kx] ?? 0);
            }
          }
        }
        out[(o * oh + y) * ow + xx] = s;
      }
    }
  }
  return { data: out, h: oh, w: ow };
}

function randomArray(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

async function run(model: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(model);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

describe('GraphBuilder', () => {
  it('builds a conv net that ONNX Runtime runs and matches a JS reference', async () => {
    const [c, m1, m2, h, w] = [3, 4, 2, 9, 11];
    const w1 = randomArray(m1 * c * 9, 1);
    const b1 = randomArray(m1, 2);
    const w2 = randomArray(m2 * m1 * 9, 3);
    const b2 = randomArray(m2, 4);
    const g = new GraphBuilder('tiny');
    const x = g.input('x', 'float32', ['N', c, 'H', 'W']);
    const y1 = g.relu(g.conv(x, g.initializer('c1.weight', w1, [m1, c, 3, 3], { trainable: true }),
      g.initializer('c1.bias', b1, [m1], { trainable: true }), { pads: [1, 1, 1, 1] }));
    const y2 = g.conv(y1, g.initializer('c2.weight', w2, [m2, m1, 3, 3], { trainable: true }),
      g.initializer('c2.bias', b2, [m2], { trainable: true }), { pads: [1, 1, 1, 1], strides: [2, 2] });
    expect(y1.shape).toEqual(['N', m1, 'H', 'W']);
    expect(y2.shape).toEqual(['N', m2, 'ceil(H/2)', 'ceil(W/2)']);
    g.output(y2, 'y');
    const bytes = serializeModel(g.build());

    // Round trip keeps the graph and the trainable marks.
    const parsed = parseModel(bytes);
    expect(parsed.graph?.node?.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'Conv', 'Identity']);
    expect(trainableInitializers(parsed).map((t) => t.name)).toEqual(['c1.weight', 'c1.bias', 'c2.weight', 'c2.bias']);
    expect(readTensor(trainableInitializers(parsed)[0]!)).toEqual(w1);

    const input = randomArray(c * h * w, 5);
    const out = await run(bytes, { x: new ort.Tensor('float32', input, [1, c, h, w]) });
    const got = out.y;
    const r1 = refConv(input, c, h, w, w1, b1, m1, 3, 1, 1);
    const relu = r1.data.map((v) => Math.max(0, v));
    const r2 = refConv(relu, m1, r1.h, r1.w, w2, b2, m2, 3, 1, 2);
    expect(got?.dims).toEqual([1, m2, r2.h, r2.w]);
    const data = got?.data as Float32Array;
    let maxErr = 0;
    r2.data.forEach((v, i) => { maxErr = Math.max(maxErr, Math.abs(v - (data[i] ?? NaN))); });
    expect(maxErr).toBeLessThan(1e-5);
  });

  it('rejects inconsistent graphs where they are written', () => {
    const g = new GraphBuilder('bad');
    const x = g.input('x', 'float32', [1, 3, 8, 8]);
    const wt = g.initializer('w', new Float32Array(4 * 2 * 9), [4, 2, 3, 3]);
    expect(() => g.conv(x, wt, null)).toThrow(/Conv node "Conv": input has 3 channels but weight expects 2/);
    expect(() => g.input('x', 'float32', [1])).toThrow(/"x" is already used/);
    expect(() => g.build()).toThrow(/no outputs/);
    expect(() => g.constant([1, 2.5])).toThrow(/constant \[1, 2.5\] is not all integers/);
    const other = new GraphBuilder('other');
    expect(() => other.relu(x)).toThrow(/belongs to another graph/);
  });

  it('emits opset-18 forms (ReduceMean axes as an input) that ONNX Runtime accepts', async () => {
    const g = new GraphBuilder('op18', { opset: 18 });
    const x = g.input('x', 'float32', [1, 2, 2, 2]);
    const m = g.reduceMean(x, [2, 3]);
    expect(m.shape).toEqual([1, 2, 1, 1]);
    g.output(g.pad(m, [0, 0, 1, 1, 0, 0, 0, 0], { mode: 'edge' }), 'y');
    const model = g.build();
    expect(model.irVersion).toBe(9);
    const out = await run(serializeModel(model), { x: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), [1, 2, 2, 2]) });
    expect(out.y?.dims).toEqual([1, 2, 2, 2]);
    expect(Array.from(out.y!.data as Float32Array)).toEqual([2.5, 2.5, 2.5, 2.5, 6.5, 6.5, 6.5, 6.5]);
  });

  it('gives a clear error for bytes that are not a model', () => {
    expect(() => parseModel(Uint8Array.from([0xff, 0xff, 0xff, 0x01]), 'broken.onnx')).toThrow(/^broken\.onnx: not an ONNX model/);
  });
});
