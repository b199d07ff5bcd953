// Weight averaging on the shipped gray denoisers (two versions of one graph): alpha 1 gives A's
// weights, 0.5 their midpoint; a model of another graph is refused. (The averaged model that ships
// is run by test/shippedModels.test.ts.)
import { describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseModel } from '../models/onnx/serialize';
import { readTensor } from '../models/onnx/tensor';
import { averageWeights } from './averageWeights';

const MODELS = path.resolve(__dirname, '..', 'models');
const load = async (f: string) => parseModel(await fs.readFile(path.join(MODELS, f)));

describe('averageWeights', () => {
  it('mixes every float initializer of two versions of one graph', async () => {
    const a = await load('denoise-gray.onnx'), b = await load('denoise-gray-float.onnx');
    const half = averageWeights(a, b, 0.5), same = averageWeights(a, b, 1);
    const t = (m: typeof a, i: number) => readTensor(m.graph!.initializer![i]!) as Float32Array;
    let differing = 0;
    for (let i = 0; i < a.graph!.initializer!.length; i++) {
      if (!(readTensor(a.graph!.initializer![i]!) instanceof Float32Array)) continue;
      const x = t(a, i), y = t(b, i), h = t(half, i), s = t(same, i);
      for (let k = 0; k < x.length; k += 97) {
        expect(h[k]).toBeCloseTo((x[k]! + y[k]!) / 2, 6);
        expect(s[k]).toBeCloseTo(x[k]!, 6);
        if (x[k] !== y[k]) differing++;
      }
    }
    expect(differing).toBeGreaterThan(100);
    expect(() => averageWeights(a, b, 1.5)).toThrow(/alpha/);
  });

  it('refuses models of different graphs', async () => {
    const a = await load('denoise-gray.onnx'), c = await load('denoise-color.onnx');
    expect(() => averageWeights(a, c, 0.5)).toThrow(/not two versions of one graph/);
  });
});
