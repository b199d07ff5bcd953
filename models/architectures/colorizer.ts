// Guided colorizer (issue 13): L plus an optional hint ab map and hint mask in, Lab ab out, one
// network for automatic (mask all zero) and guided use, as in "Real-Time User-Guided Image
// Colorization" (Zhang et al., SIGGRAPH 2017), scaled down for the CPU. The four input planes are
// pixel-unshuffled to half resolution, a U-Net runs there (stride-2 downsampling, nearest + conv
// upsampling, concatenated skips), the coarsest level adds dilated 3x3 convs for a wide receptive
// field (a colour decision needs context: sky or water, skin or wood), and a 1x1 head predicts
// 2 x 4 channels that are pixel-shuffled back to the input resolution and squashed by tanh
// (ab / 128 in [-1, 1]). The engine runs it on L downscaled to the model's working size and joins
// the upsampled ab with the full-resolution L, so ab is "predicted at reduced resolution".
import { GraphBuilder, type Value } from '../onnx/graph';
import { convLayer, convRelu, finish, Params } from './layers';
import type { ArchitectureResult, CommonOptions, ModelInputSpec } from './types';

export interface ColorizerOptions extends CommonOptions {
  /** Feature channels per U-Net level at half resolution, finest first (default [32, 64, 128, 256]). */
  widths?: number[];
  /** Dilations of the extra 3x3 convs at the coarsest level (default [2, 4]). */
  dilations?: number[];
  /** Build the hint inputs (default true); false gives an automatic-only, luma-in model. */
  hints?: boolean;
}

export const COLORIZER_DEFAULT_WIDTHS = [32, 64, 128, 256];

export function colorizer(opts: ColorizerOptions): ArchitectureResult {
  const widths = opts.widths ?? COLORIZER_DEFAULT_WIDTHS;
  const dilations = opts.dilations ?? [2, 4];
  const levels = widths.length;
  if (levels < 1) throw new Error('colorizer: widths must name at least one level');
  const g = new GraphBuilder(opts.name ?? 'colorizer');
  const p = new Params(g, opts);
  const w = (l: number): number => widths[l] as number;

  const inputs: ModelInputSpec[] = [{ name: 'luma', role: 'luma', channels: 1 }];
  const planes: Value[] = [g.input('luma', 'float32', ['N', 1, 'H', 'W'])];
  if (opts.hints !== false) {
    inputs.push({ name: 'hint_ab', role: 'hint_ab', channels: 2 }, { name: 'hint_mask', role: 'hint_mask', channels: 1 });
    planes.push(g.input('hint_ab', 'float32', ['N', 2, 'H', 'W']), g.input('hint_mask', 'float32', ['N', 1, 'H', 'W']));
  }
  const cin = inputs.reduce((a, i) => a + i.channels, 0);
  const x0 = planes.length > 1 ? g.concat(planes, 1, 'input.concat') : (planes[0] as Value);
  let x = convRelu(p, g.spaceToDepth(x0, 2, 'stem.unshuffle'), 'stem', 4 * cin, w(0));

  const skips: Value[] = [];
  for (let l = 0; l < levels; l++) {
    if (l > 0) x = convRelu(p, skips[l - 1] as Value, `down${l}`, w(l - 1), w(l), { stride: 2 });
    x = convRelu(p, x, `enc${l}.conv0`, w(l), w(l));
    x = convRelu(p, x, `enc${l}.conv1`, w(l), w(l));
    if (l === levels - 1) {
      for (const d of dilations) x = convRelu(p, x, `context.dil${d}`, w(l), w(l), { dilation: d });
    }
    skips.push(x);
  }
  for (let l = levels - 2; l >= 0; l--) {
    const r = g.resize(x, { scales: [1, 1, 2, 2], mode: 'nearest', name: `up${l}.resize` });
    const up = convRelu(p, r, `up${l}`, w(l + 1), w(l));
    x = g.concat([up, skips[l] as Value], 1, `dec${l}.concat`);
    x = convRelu(p, x, `dec${l}.conv0`, 2 * w(l), w(l));
    x = convRelu(p, x, `dec${l}.conv1`, w(l), w(l));
  }
  // Small head gain: the untrained model starts near a = b = 0 (gray), not at random colours.
  const head = convLayer(p, x, 'head', w(0), 8, { kernel: 1, gain: 0.1 });
  const ab = g.tanh(g.depthToSpace(head, 2, 'CRD', 'head.shuffle'), 'head.tanh');
  return finish(p, ab, inputs, { name: 'ab', role: 'ab', channels: 2 }, ['N', 2, 'H', 'W'], 2 * 2 ** (levels - 1));
}
