// Gradient checks of the two reference nets of the benchmark (DnCNN-17 with 64 channels and the
// 32/64/128 U-Net) on small inputs: the gradient graph run by ONNX Runtime, for the input and every
// trainable parameter, along a random direction each, against central finite differences computed
// in float64 by an independent interpreter (./float64.ts; eps 1e-8 steps over no ReLU kink).
import { describe, expect, it } from 'vitest';
import { dncnn } from '../../models/architectures/dncnn';
import { unet } from '../../models/architectures/unet';
import { trainableInitializers } from '../../models/onnx/trainable';
import { Rng } from '../rng';
import { gradCheck } from './gradcheck';

function image(n: number, seed: number): Float32Array {
  const r = new Rng(seed);
  return new Float32Array(n).map(() => r.next());
}

describe('gradient checks of the reference nets', () => {
  const nets = [
    { name: 'dncnn17 (64 channels)', arch: dncnn({ channels: 3, depth: 17, width: 64, seed: 5 }), dims: [1, 3, 6, 6] },
    { name: 'unet3 (32/64/128)', arch: unet({ inChannels: 3, outChannels: 3, widths: [32, 64, 128], down: 'stride', up: 'nearest-conv', seed: 5 }), dims: [1, 3, 8, 8] },
  ];
  for (const net of nets) {
    it(net.name, async () => {
      const params = trainableInitializers(net.arch.model).map((t) => t.name ?? '');
      const n = net.dims.reduce((a, b) => a * b, 1);
      const res = await gradCheck(net.arch.model, { feeds: { image: { dims: net.dims, data: image(n, 9) } }, wrt: ['image', ...params], eps: 1e-8, directions: 1, float64: true });
      expect(res).toHaveLength(1 + params.length);
      for (const r of res) expect(r.relErr, `${r.name}: analytic ${r.analytic} numeric ${r.numeric}`).toBeLessThan(1e-3);
    });
  }
});
