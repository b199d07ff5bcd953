// A hand-made damage detector for the app's tests (no trained weights needed): it marks thin
// bright lines, the look of a scratch on a print. The photo's luma minus its 7 x 7 local mean
// (a white top-hat) through a steep sigmoid: a 2-pixel line 0.4 brighter than its surroundings
// scores ~1, smooth areas and ordinary edges ~0 (rowsOnly: vertical lines only, for the rotation
// ensemble's test). Same layout as the real detector (image in,
// one-channel damage probability out), so the engine runs it like `detect-damage`.
import { GraphBuilder } from '../../../models/onnx/graph';
import { fromArchitecture, type TestModel } from '../../engine/test/models';

export function lineDetector(opts: { rowsOnly?: boolean } = {}): TestModel {
  const g = new GraphBuilder('line-detector');
  const image = g.input('image', 'float32', [1, 3, 'H', 'W']);
  const K = 7;
  // With rowsOnly the mean is over the pixel's row (1 x K): a line across the rows (vertical) stands
  // out of it, a line along them does not, so the detector sees only vertical lines.
  const KH = opts.rowsOnly ? 1 : K;
  // Luma, then luma minus its KH x K mean, in one KH x K convolution: weights (delta - 1/(KH K)) * rgb weight.
  const rgb = [0.299, 0.587, 0.114];
  const n = KH * K;
  const w = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) w[c * n + i] = rgb[c]! * ((i === (n - 1) / 2 ? 1 : 0) - 1 / n);
  }
  const pad = (KH - 1) / 2;
  const tophat = g.conv(image, g.initializer('w', w, [1, 3, KH, K]), null, { pads: [pad, 3, pad, 3] });
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
