// The body shared by the colorizer, the inpainter and the damage detector: input planes
// concatenated and pixel-unshuffled to half resolution (lossless: every input pixel reaches the
// network), a U-Net there (stride-2 downsampling, nearest + conv upsampling, concatenated skips),
// dilated 3x3 convs at the coarsest level for a wide receptive field, and a 1x1 head whose
// 4 x out channels are pixel-shuffled back to full resolution. Working at half resolution costs a
// quarter of a full-resolution U-Net of the same widths; the shuffle keeps full-resolution output.
import { GraphBuilder, type Value } from '../onnx/graph';
import { convLayer, convRelu, Params } from './layers';
import type { CommonOptions, ModelInputSpec } from './types';

export interface HalfResUnetOptions extends CommonOptions {
  /** Feature channels per U-Net level at half resolution, finest first. */
  widths: number[];
  /** Dilations of the extra 3x3 convs at the coarsest level. */
  dilations: number[];
  /** Output channels at full resolution (before any activation). */
  outChannels: number;
  /** Gain of the head's initial weights (small: the untrained model starts near zero). */
  headGain?: number;
}

export interface HalfResUnetBody {
  g: GraphBuilder;
  p: Params;
  /** The graph inputs by name, in the order given. */
  planes: Map<string, Value>;
  /** The head's output at full resolution (outChannels planes, no activation). */
  head: Value;
  /** Input multiple: 2 (shuffle) x 2^(levels-1). */
  multipleOf: number;
}

/** Builds the body over `inputs`; the caller adds the activation and outputs. */
export function halfResUnet(name: string, inputs: ModelInputSpec[], opts: HalfResUnetOptions): HalfResUnetBody {
  const { widths, dilations, outChannels } = opts;
  const levels = widths.length;
  if (levels < 1) throw new Error(`${name}: widths must name at least one level`);
  const g = new GraphBuilder(opts.name ?? name);
  const p = new Params(g, opts);
  const w = (l: number): number => widths[l] as number;
  const planes = new Map<string, Value>();
  for (const i of inputs) planes.set(i.name, g.input(i.name, 'float32', ['N', i.channels, 'H', 'W']));
  const cin = inputs.reduce((a, i) => a + i.channels, 0);
  const all = [...planes.values()];
  const x0 = all.length > 1 ? g.concat(all, 1, 'input.concat') : (all[0] as Value);
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
  const head = convLayer(p, x, 'head', w(0), 4 * outChannels, { kernel: 1, gain: opts.headGain ?? 0.1 });
  return { g, p, planes, head: g.depthToSpace(head, 2, 'CRD', 'head.shuffle'), multipleOf: 2 * 2 ** (levels - 1) };
}
