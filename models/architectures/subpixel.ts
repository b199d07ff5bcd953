// Sub-pixel super-resolution (ESPCN/FSRCNN family): 3x3 conv + ReLU layers at low resolution, a
// last conv to channels * scale^2 and DepthToSpace (PyTorch PixelShuffle order), plus a global
// skip: the input upsampled (bilinear by default) is added, so the network learns the residual.
import { GraphBuilder } from '../onnx/graph';
import { convLayer, convRelu, finish, Params } from './layers';
import type { ArchitectureResult, CommonOptions } from './types';

export interface SubpixelOptions extends CommonOptions {
  scale: 2 | 4;
  /** Feature channels. */
  width: number;
  /** Number of 3x3 conv + ReLU layers before the sub-pixel conv (1 or more). */
  depth: number;
  channels?: number;
  /** Interpolation of the global skip (default 'linear'). */
  skip?: 'linear' | 'nearest';
}

export function subpixelUpsampler(opts: SubpixelOptions): ArchitectureResult {
  const { scale, width, depth } = opts;
  const c = opts.channels ?? 3;
  if (scale !== 2 && scale !== 4) throw new Error(`subpixelUpsampler: scale ${String(scale)} (2 or 4)`);
  if (depth < 1) throw new Error(`subpixelUpsampler: depth ${depth} (1 or more)`);
  const g = new GraphBuilder(opts.name ?? `subpixel_x${scale}`);
  const p = new Params(g, opts);
  const image = g.input('image', 'float32', ['N', c, 'H', 'W']);
  let x = convRelu(p, image, 'conv0', c, width);
  for (let i = 1; i < depth; i++) x = convRelu(p, x, `conv${i}`, width, width);
  const sub = convLayer(p, x, 'upconv', width, c * scale * scale, { gain: 0.1 });
  const shuffled = g.depthToSpace(sub, scale, 'CRD', 'pixelshuffle');
  const base = g.resize(image, { scales: [1, 1, scale, scale], mode: opts.skip ?? 'linear', name: 'skip' });
  const out = g.add(base, shuffled, 'residual');
  return finish(p, out, [{ name: 'image', role: 'image', channels: c }], { name: 'output', role: 'image', channels: c },
    ['N', c, `H*${scale}`, `W*${scale}`], 1);
}
