// Architectures run in ONNX Runtime: shapes, parameter counts against hand-computed formulas,
// seeded determinism, weight override (residual identity), and the receptive field computed from
// the graph against a numerical probe (a delta impulse's footprint on the output).
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { serializeModel } from '../onnx/serialize';
import { receptiveField } from '../onnx/receptiveField';
import { trainableInitializers } from '../onnx/trainable';
import type { onnx } from '../onnx/proto';
import { dncnn } from './dncnn';
import { subpixelUpsampler } from './subpixel';
import { unet } from './unet';
import { probeMargin, pseudoRandom } from '../testing/probe';
import type { ArchitectureResult } from './types';

const convParams = (cin: number, cout: number, k = 3): number => cout * cin * k * k + cout;

async function withSession<T>(model: onnx.IModelProto, f: (s: ort.InferenceSession) => Promise<T>): Promise<T> {
  const session = await ort.InferenceSession.create(serializeModel(model), { intraOpNumThreads: 2 });
  try {
    return await f(session);
  } finally {
    await session.release();
  }
}

function feedsFor(arch: ArchitectureResult, h: number, w: number, image: Float32Array): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  arch.inputs.forEach((inp, i) => {
    const data = i === 0 ? image : pseudoRandom(inp.channels * h * w, 99 + i);
    feeds[inp.name] = new ort.Tensor('float32', data, [1, inp.channels, h, w]);
  });
  return feeds;
}

describe('unet', () => {
  it('expresses the issue-3 reference U-Net exactly', async () => {
    const arch = unet({ inChannels: 3, outChannels: 3, widths: [32, 64, 128], down: 'stride', up: 'nearest-conv', seed: 1 });
    const expected =
      convParams(3, 32) + convParams(32, 32) + // enc0
      convParams(32, 64) + 2 * convParams(64, 64) + // down1, enc1
      convParams(64, 128) + 2 * convParams(128, 128) + // down2, enc2
      convParams(128, 64) + convParams(128, 64) + convParams(64, 64) + // up1, dec1
      convParams(64, 32) + convParams(64, 32) + convParams(32, 32) + // up0, dec0
      convParams(32, 3, 1); // head
    expect(arch.parameters).toBe(expected);
    expect(trainableInitializers(arch.model).reduce((n, t) => n + (t.dims ?? []).reduce<number>((a, b) => a * Number(b), 1), 0)).toBe(expected);
    expect(arch.multipleOf).toBe(4);
    const ops = (arch.model.graph?.node ?? []).map((n) => n.opType);
    expect(ops.filter((o) => o === 'Conv')).toHaveLength(15);
    expect(ops.filter((o) => o === 'Resize')).toHaveLength(2);
    expect(ops.filter((o) => o === 'Concat')).toHaveLength(2);
    const strided = (arch.model.graph?.node ?? []).filter((n) => n.attribute?.some((a) => a.name === 'strides'));
    expect(strided.map((n) => n.name)).toEqual(['down1', 'down2']);
    const out = await withSession(arch.model, (s) => s.run({ image: new ort.Tensor('float32', pseudoRandom(3 * 24 * 20, 3), [1, 3, 24, 20]) }));
    expect(out.output?.dims).toEqual([1, 3, 24, 20]);
  });

  it('serves as denoiser, inpainter and colorizer by options', async () => {
    const den = unet({ inChannels: 3, outChannels: 3, widths: [8, 16], residual: true, seed: 2,
      extraInputs: [{ name: 'noise_level', role: 'noise_level', channels: 1 }] });
    expect(den.inputs.map((i) => i.role)).toEqual(['image', 'noise_level']);
    const inp = unet({ inChannels: 3, outChannels: 3, widths: [8, 16], down: 'pixelunshuffle', up: 'pixelshuffle', seed: 3,
      extraInputs: [{ name: 'mask', role: 'mask', channels: 1 }] });
    const col = unet({ inChannels: 1, outChannels: 2, widths: [8, 16, 16], seed: 4, input: { name: 'luma', role: 'luma' },
      output: { name: 'ab', role: 'ab' }, outputActivation: 'tanh' });
    expect(col.output).toEqual({ name: 'ab', role: 'ab', channels: 2 });
    for (const a of [den, inp, col]) {
      const out = await withSession(a.model, (s) => s.run(feedsFor(a, 16, 12, pseudoRandom(a.inputs[0]!.channels * 16 * 12, 5))));
      expect(out[a.output.name]?.dims).toEqual([1, a.output.channels, 16, 12]);
    }
    expect(() => unet({ inChannels: 1, outChannels: 2, widths: [8], residual: true, seed: 1 })).toThrow(/residual output needs inChannels/);
  });

  it('is identical for the same seed and exports supplied weights', async () => {
    const a = serializeModel(unet({ inChannels: 3, outChannels: 3, widths: [8, 16], seed: 5 }).model);
    const b = serializeModel(unet({ inChannels: 3, outChannels: 3, widths: [8, 16], seed: 5 }).model);
    const c = serializeModel(unet({ inChannels: 3, outChannels: 3, widths: [8, 16], seed: 6 }).model);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
    // Zero head: the residual U-Net is the identity.
    const weights = new Map([['head.weight', new Float32Array(3 * 8)], ['head.bias', new Float32Array(3)]]);
    const arch = unet({ inChannels: 3, outChannels: 3, widths: [8, 16], residual: true, seed: 5, weights });
    const x = pseudoRandom(3 * 8 * 8, 9);
    const out = await withSession(arch.model, (s) => s.run({ image: new ort.Tensor('float32', x, [1, 3, 8, 8]) }));
    expect(out.output?.data).toEqual(x);
    expect(() => unet({ inChannels: 3, outChannels: 3, widths: [8, 16], seed: 5, weights: new Map([['head.weight', new Float32Array(5)]]) }))
      .toThrow(/weights for head.weight: 5 values given, \[3, 8, 1, 1\] = 24 expected/);
    expect(() => unet({ inChannels: 3, outChannels: 3, widths: [8, 16], seed: 5, weights: new Map([['nope.weight', new Float32Array(1)]]) }))
      .toThrow(/weights not used by the architecture: nope.weight/);
  });
});

describe('dncnn', () => {
  it('is a residual x - f(x) net with optional noise-level input', async () => {
    const arch = dncnn({ channels: 3, depth: 17, width: 64, seed: 1 });
    expect(arch.parameters).toBe(convParams(3, 64) + 15 * convParams(64, 64) + convParams(64, 3));
    expect(arch.receptiveField).toBe(35);
    const ffd = dncnn({ channels: 1, depth: 4, width: 8, noiseLevelInput: true, seed: 2,
      weights: new Map([['conv3.weight', new Float32Array(8 * 9)], ['conv3.bias', new Float32Array(1)]]) });
    expect(ffd.inputs.map((i) => i.name)).toEqual(['image', 'noise_level']);
    const x = pseudoRandom(10 * 9, 4);
    const out = await withSession(ffd.model, (s) => s.run(feedsFor(ffd, 10, 9, x)));
    expect(out.output?.data).toEqual(x); // zero last layer: x - 0
  });
});

describe('subpixelUpsampler', () => {
  it('upscales x2 and x4 with a bilinear global skip', async () => {
    for (const scale of [2, 4] as const) {
      const arch = subpixelUpsampler({ scale, width: 16, depth: 3, seed: scale });
      expect(arch.parameters).toBe(convParams(3, 16) + 2 * convParams(16, 16) + convParams(16, 3 * scale * scale));
      const out = await withSession(arch.model, (s) => s.run({ image: new ort.Tensor('float32', pseudoRandom(3 * 10 * 7, 1), [1, 3, 10, 7]) }));
      expect(out.output?.dims).toEqual([1, 3, 10 * scale, 7 * scale]);
    }
    // Zero sub-pixel conv: the output is exactly the nearest-upsampled input.
    const arch = subpixelUpsampler({ scale: 2, width: 4, depth: 1, seed: 1, skip: 'nearest',
      weights: new Map([['upconv.weight', new Float32Array(12 * 4 * 9)], ['upconv.bias', new Float32Array(12)]]) });
    const out = await withSession(arch.model, (s) => s.run({ image: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), [1, 3, 2, 2]) }));
    expect(Array.from(out.output!.data as Float32Array).slice(0, 16)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });
});

describe('receptive field from the graph matches a delta-impulse probe', () => {
  const center: [number, number][] = [[24, 24]];
  const phases: [number, number][] = [[36, 36], [37, 37], [38, 39], [39, 38]];
  const cases: { name: string; arch: () => ArchitectureResult; size: number; positions: [number, number][]; scale?: number }[] = [
    { name: 'dncnn depth 6', arch: () => dncnn({ channels: 1, depth: 6, width: 8, seed: 1 }), size: 48, positions: center },
    { name: 'unet stride/nearest', arch: () => unet({ inChannels: 1, outChannels: 1, widths: [4, 8, 8], seed: 1 }), size: 76, positions: phases },
    { name: 'unet pixelunshuffle/pixelshuffle', arch: () => unet({ inChannels: 1, outChannels: 1, widths: [4, 8, 8], down: 'pixelunshuffle', up: 'pixelshuffle', seed: 1 }), size: 76, positions: phases },
    { name: 'subpixel x2 bilinear', arch: () => subpixelUpsampler({ scale: 2, width: 4, depth: 3, channels: 1, seed: 1 }), size: 20, positions: [[10, 10]], scale: 2 },
    { name: 'subpixel x4 nearest', arch: () => subpixelUpsampler({ scale: 4, width: 4, depth: 2, channels: 1, seed: 1, skip: 'nearest' }), size: 20, positions: [[10, 10]], scale: 4 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const arch = c.arch();
      const rf = receptiveField(arch.model);
      expect(arch.receptiveField).toBe(rf.field);
      for (const [py, px] of c.positions) {
        // The probe must be able to see the whole footprint inside the image.
        expect(Math.min(py, px) - rf.margin).toBeGreaterThanOrEqual(0);
        expect((Math.max(py, px) + rf.margin) * (c.scale ?? 1)).toBeLessThan(c.size * (c.scale ?? 1));
      }
      const measured = await probeMargin(arch, c.size, c.positions, c.scale ?? 1);
      // The graph walk is exact: the farthest input pixel that moves an output pixel is exactly
      // at the computed bound (over all output phases), and the margin rounds it up.
      expect(measured).toBe(Math.max(-rf.lo, rf.hi));
      expect(rf.margin).toBe(Math.ceil(measured));
    });
  }
});
