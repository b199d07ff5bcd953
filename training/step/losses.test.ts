// The colourization loss 'l1-chroma' in the step graph: its value and gradient norm equal a JS
// reference (L1 on ab, each pixel weighted by 1 + k * sqrt(a^2 + b^2) of the target, k = CHROMA_WEIGHT
// or the run's --chroma-weight).
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../models/onnx/graph';
import { buildStepModel } from './buildStep';
import { TrainSession } from './session';
import { CHROMA_WEIGHT } from './losses';

describe('l1-chroma loss', () => {
  for (const k of [undefined, 10]) {
    it(`weights saturated target pixels up (k = ${k ?? 'default'}); value and gradient match the reference`, async () => {
      // y = x * w on a 1 x 2 x 1 x 3 "ab" tensor: 3 pixels, a and b planes.
      const x = Float32Array.from([0.5, -0.2, 0.1, 0.3, 0.4, -0.6]);
      const w0 = Float32Array.from([0.2, -0.4, 0.9, 1.5, -0.3, 0.7]);
      const target = Float32Array.from([0.6, 0, 0.05, -0.3, 0, 0.02]); // pixel 0 saturated, 1 gray, 2 nearly gray
      const b = new GraphBuilder('lin');
      const xi = b.input('x', 'float32', [1, 2, 1, 3]);
      b.output(b.mul(xi, b.initializer('w', w0, [1, 2, 1, 3], { trainable: true })), 'y');
      const sm = await buildStepModel(b.build(), { loss: 'l1-chroma', ...(k !== undefined ? { chromaWeight: k } : {}), inputs: { x: [1, 2, 1, 3] }, optimizer: { kind: 'adam', clipNorm: 0 } });
      const s = await TrainSession.create(sm, { threads: 1 });
      const r = await s.step({ inputs: { x }, target }, 1e-3);
      await s.release();
      const weight = [0, 1, 2].map((p) => 1 + (k ?? CHROMA_WEIGHT) * Math.hypot(target[p]!, target[3 + p]!));
      let loss = 0;
      const grad: number[] = [];
      for (let i = 0; i < 6; i++) {
        const d = x[i]! * w0[i]! - target[i]!;
        loss += (Math.abs(d) * weight[i % 3]!) / 6;
        grad.push((Math.sign(d) * weight[i % 3]! * x[i]!) / 6);
      }
      expect(weight[0]).toBeGreaterThan(k ? 7 : 3);
      expect(weight[1]).toBe(1);
      expect(r.loss).toBeCloseTo(loss, 6);
      expect(r.gradNorm).toBeCloseTo(Math.hypot(...grad), 6);
    });
  }
});
