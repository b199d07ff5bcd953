// DnCNN-style residual denoiser (Zhang et al. 2017, without batch normalisation): `depth` 3x3
// convolutions of `width` channels with ReLU, the last one predicting the noise, output x - f(x).
// With noiseLevelInput the sigma map is concatenated to the image (FFDNet-style non-blind model).
import { GraphBuilder } from '../onnx/graph';
import { convLayer, convRelu, finish, Params } from './layers';
import type { ArchitectureResult, CommonOptions, ModelInputSpec } from './types';

export interface DncnnOptions extends CommonOptions {
  /** Image channels (3 colour, 1 gray). */
  channels: number;
  /** Number of conv layers (default 17). */
  depth?: number;
  /** Feature channels (default 64). */
  width?: number;
  /** Adds a `noise_level` input (N x 1 x H x W, sigma/255). */
  noiseLevelInput?: boolean;
}

export function dncnn(opts: DncnnOptions): ArchitectureResult {
  const depth = opts.depth ?? 17;
  const width = opts.width ?? 64;
  const c = opts.channels;
  if (depth < 2) throw new Error(`dncnn: depth ${depth} is too small (2 or more)`);
  const g = new GraphBuilder(opts.name ?? 'dncnn');
  const p = new Params(g, opts);
  const image = g.input('image', 'float32', ['N', c, 'H', 'W']);
  const inputs: ModelInputSpec[] = [{ name: 'image', role: 'image', channels: c }];
  let x = image;
  let cin = c;
  if (opts.noiseLevelInput) {
    const sigma = g.input('noise_level', 'float32', ['N', 1, 'H', 'W']);
    inputs.push({ name: 'noise_level', role: 'noise_level', channels: 1 });
    x = g.concat([image, sigma], 1, 'input.concat');
    cin = c + 1;
  }
  x = convRelu(p, x, 'conv0', cin, width);
  for (let i = 1; i < depth - 1; i++) x = convRelu(p, x, `conv${i}`, width, width);
  const noise = convLayer(p, x, `conv${depth - 1}`, width, c, { gain: 0.1 });
  const out = g.sub(image, noise, 'residual');
  return finish(p, out, inputs, { name: 'output', role: 'image', channels: c }, ['N', c, 'H', 'W'], 1);
}
