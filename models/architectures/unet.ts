// U-Net (Ronneberger et al. 2015, residual variant as in DRUNet-style restoration): per level
// `convsPerLevel` 3x3 conv + ReLU, downsampling by a stride-2 3x3 conv (or pixel-unshuffle + 3x3
// conv), upsampling by 2x nearest + 3x3 conv (or 3x3 conv + pixel-shuffle), skips concatenated,
// a 1x1 head. The issue-3 reference network is unet({inChannels: 3, outChannels: 3,
// widths: [32, 64, 128], down: 'stride', up: 'nearest-conv', seed}).
// Roles by options: denoiser (extraInputs noise_level, residual), inpainter (extraInputs mask),
// colorizer (input role 'luma' 1 channel, output role 'ab' 2 channels, outputActivation 'tanh').
import { GraphBuilder, type Value } from '../onnx/graph';
import type { InputRole, OutputRole } from '../manifest';
import { convLayer, convRelu, finish, Params } from './layers';
import type { ArchitectureResult, CommonOptions, ModelInputSpec } from './types';

export interface UnetOptions extends CommonOptions {
  inChannels: number;
  outChannels: number;
  /** Feature channels per level, finest first, e.g. [32, 64, 128]. */
  widths: number[];
  convsPerLevel?: number;
  down?: 'stride' | 'pixelunshuffle';
  up?: 'nearest-conv' | 'pixelshuffle';
  /** Output = primary input + f(x) (needs inChannels == outChannels). */
  residual?: boolean;
  /** Further inputs concatenated to the primary one along channels (noise_level, mask). */
  extraInputs?: { name: string; role: InputRole; channels: number }[];
  /** Primary input (default {name: 'image', role: 'image'}). */
  input?: { name: string; role: InputRole };
  /** Output (default {name: 'output', role: 'image'}). */
  output?: { name: string; role: OutputRole };
  outputActivation?: 'none' | 'sigmoid' | 'tanh';
}

export function unet(opts: UnetOptions): ArchitectureResult {
  const { inChannels, outChannels, widths } = opts;
  const convs = opts.convsPerLevel ?? 2;
  const levels = widths.length;
  if (levels < 1) throw new Error('unet: widths must name at least one level');
  if (convs < 1) throw new Error(`unet: convsPerLevel ${convs} (1 or more)`);
  if (opts.residual && inChannels !== outChannels) {
    throw new Error(`unet: residual output needs inChannels (${inChannels}) == outChannels (${outChannels})`);
  }
  const g = new GraphBuilder(opts.name ?? 'unet');
  const p = new Params(g, opts);
  const primary = opts.input ?? { name: 'image', role: 'image' };
  const x0 = g.input(primary.name, 'float32', ['N', inChannels, 'H', 'W']);
  const inputs: ModelInputSpec[] = [{ name: primary.name, role: primary.role, channels: inChannels }];
  let x: Value = x0;
  let cin = inChannels;
  if (opts.extraInputs && opts.extraInputs.length > 0) {
    const extras = opts.extraInputs.map((e) => {
      inputs.push({ name: e.name, role: e.role, channels: e.channels });
      cin += e.channels;
      return g.input(e.name, 'float32', ['N', e.channels, 'H', 'W']);
    });
    x = g.concat([x0, ...extras], 1, 'input.concat');
  }
  const w = (l: number): number => widths[l] as number;

  const block = (v: Value, prefix: string, c0: number, width: number): Value => {
    let y = v;
    for (let i = 0; i < convs; i++) y = convRelu(p, y, `${prefix}.conv${i}`, i === 0 ? c0 : width, width);
    return y;
  };

  // Encoder.
  const skips: Value[] = [];
  for (let l = 0; l < levels; l++) {
    if (l > 0) {
      const prev = skips[l - 1] as Value;
      x = opts.down === 'pixelunshuffle'
        ? convRelu(p, g.spaceToDepth(prev, 2, `down${l}.unshuffle`), `down${l}`, 4 * w(l - 1), w(l))
        : convRelu(p, prev, `down${l}`, w(l - 1), w(l), { stride: 2 });
      cin = w(l);
    }
    x = block(x, `enc${l}`, cin, w(l));
    skips.push(x);
  }
  // Decoder.
  for (let l = levels - 2; l >= 0; l--) {
    let up: Value;
    if (opts.up === 'pixelshuffle') {
      const c = convLayer(p, x, `up${l}`, w(l + 1), 4 * w(l));
      up = g.relu(g.depthToSpace(c, 2, 'CRD', `up${l}.shuffle`), `up${l}.relu`);
    } else {
      const r = g.resize(x, { scales: [1, 1, 2, 2], mode: 'nearest', name: `up${l}.resize` });
      up = convRelu(p, r, `up${l}`, w(l + 1), w(l));
    }
    x = g.concat([up, skips[l] as Value], 1, `dec${l}.concat`);
    x = block(x, `dec${l}`, 2 * w(l), w(l));
  }
  let out = convLayer(p, x, 'head', w(0), outChannels, { kernel: 1, gain: opts.residual ? 0.1 : 1 });
  if (opts.outputActivation === 'sigmoid') out = g.sigmoid(out, 'head.sigmoid');
  else if (opts.outputActivation === 'tanh') out = g.tanh(out, 'head.tanh');
  if (opts.residual) out = g.add(x0, out, 'residual');
  const output = opts.output ?? { name: 'output', role: 'image' };
  return finish(p, out, inputs, { name: output.name, role: output.role, channels: outChannels },
    ['N', outChannels, 'H', 'W'], 2 ** (levels - 1));
}
