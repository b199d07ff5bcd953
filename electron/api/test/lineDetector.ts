// A hand-made damage detector for the app's tests (no trained weights needed): it marks thin
// bright lines, the look of a scratch on a print. The photo's luma minus its 7 x 7 local mean
// (a white top-hat) through a steep sigmoid: a 2-pixel line 0.4 brighter than its surroundings
// scores ~1, smooth areas and ordinary edges ~0. Same layout as the real detector (image in,
// one-channel damage probability out), so the engine runs it like `detect-damage`.
import { GraphBuilder } from '../../../models/onnx/graph';
import { fromArchitecture, type TestModel } from '../../engine/test/models';

export function lineDetector(): TestModel {
  const g = new GraphBuilder('line-detector');
  const image = g.input('image', 'float32', [1, 3, 'H', 'W']);
  const K = 7;
  // Luma, then luma minus its K x K mean, in one K x K convolution: weights (delta - 1/K^2) * rgb weight.
  const rgb = [0.299, 0.587, 0.114];
  const w = new Float32Array(3 * K * K);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < K * K; i++) w[c * K * K + i] = rgb[c]! * ((i === (K * K - 1) / 2 ? 1 : 0) - 1 / (K * K));
  }
  const tophat = g.conv(image, g.initializer('w', w, [1, 3, K, K]), null, { pads: [3, 3, 3, 3] });
  g.output(g.sigmoid(g.mul(g.sub(tophat, 0.2), 30)), 'damage');
  const t = fromArchitecture('test-line-detector', 'detect-damage', {
    model: g.build(),
    parameters: 0,
    receptiveField: K,
    multipleOf: 1,
    inputs: [{ name: 'image', role: 'image', channels: 3 }],
    output: { name: 'damage', role: 'mask', channels: 1 },
  });
  return { ...t, entry: { ...t.entry, threshold: 0.5, grow: 1, description: 'Test detector: thin bright lines' } };
}
