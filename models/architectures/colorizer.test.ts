// The guided colorizer: inputs by role, output ab in [-1, 1] at the input resolution, starts near
// gray, a colour point changes the output around it (and more there than far away), and the
// automatic-only variant takes L alone.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { serializeModel } from '../onnx/serialize';
import { colorizer } from './colorizer';
import { pseudoRandom } from '../testing/probe';

async function run(model: ReturnType<typeof colorizer>, feeds: Record<string, Float32Array>, h: number, w: number): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(serializeModel(model.model), { intraOpNumThreads: 1 });
  try {
    const t: Record<string, ort.Tensor> = {};
    for (const i of model.inputs) t[i.name] = new ort.Tensor('float32', feeds[i.name]!, [1, i.channels, h, w]);
    const out = await s.run(t);
    expect(out.ab?.dims).toEqual([1, 2, h, w]);
    return out.ab!.data as Float32Array;
  } finally {
    await s.release();
  }
}

describe('colorizer', () => {
  it('takes L, hint ab and hint mask; a colour point moves the colour near it', async () => {
    const c = colorizer({ widths: [8, 16, 16], dilations: [2], seed: 3 });
    expect(c.inputs.map((i) => [i.role, i.channels])).toEqual([['luma', 1], ['hint_ab', 2], ['hint_mask', 1]]);
    expect(c.output).toEqual({ name: 'ab', role: 'ab', channels: 2 });
    expect(c.multipleOf).toBe(8);
    const h = 32, w = 48;
    const luma = pseudoRandom(h * w, 7).map((v) => 0.5 + 0.5 * v);
    const none = await run(c, { luma, hint_ab: new Float32Array(2 * h * w), hint_mask: new Float32Array(h * w) }, h, w);
    expect(none.every((v) => Math.abs(v) < 1)).toBe(true);
    expect(Math.max(...none.map(Math.abs))).toBeLessThan(0.2); // small head gain: starts near gray
    const hab = new Float32Array(2 * h * w), hm = new Float32Array(h * w);
    for (let y = 8; y < 12; y++) for (let x = 8; x < 12; x++) { hab[y * w + x] = 0.5; hm[y * w + x] = 1; }
    const guided = await run(c, { luma, hint_ab: hab, hint_mask: hm }, h, w);
    const change = (x: number, y: number): number => Math.abs(guided[y * w + x]! - none[y * w + x]!);
    expect(change(10, 10)).toBeGreaterThan(1e-4);
    expect(change(10, 10)).toBeGreaterThan(change(44, 28));
  });

  it('has a few million parameters at the shipped width; the automatic-only variant takes L alone', async () => {
    const full = colorizer({ seed: 1 });
    expect(full.parameters).toBeGreaterThan(1e6);
    expect(full.parameters).toBeLessThan(5e6);
    const auto = colorizer({ widths: [8, 8], dilations: [], hints: false, seed: 1 });
    expect(auto.inputs.map((i) => i.role)).toEqual(['luma']);
    const out = await run(auto, { luma: pseudoRandom(16 * 16, 2) }, 16, 16);
    expect(out.length).toBe(2 * 16 * 16);
  });
});
