// Guided colorizer (issue 13): L plus an optional hint ab map and hint mask in, Lab ab out, one
// network for automatic (mask all zero) and guided use, as in "Real-Time User-Guided Image
// Colorization" (Zhang et al., SIGGRAPH 2017), scaled down for the CPU: the half-resolution U-Net
// of halfResUnet.ts (dilated context convs: a colour decision needs context, sky or water, skin or
// wood) with 2 output planes squashed by tanh (ab / 128 in [-1, 1]). The engine runs it on L downscaled to the model's working size and joins
// the upsampled ab with the full-resolution L, so ab is "predicted at reduced resolution".
import { halfResUnet } from './halfResUnet';
import { finish } from './layers';
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
  const inputs: ModelInputSpec[] = [{ name: 'luma', role: 'luma', channels: 1 }];
  if (opts.hints !== false) inputs.push({ name: 'hint_ab', role: 'hint_ab', channels: 2 }, { name: 'hint_mask', role: 'hint_mask', channels: 1 });
  // Small head gain: the untrained model starts near a = b = 0 (gray), not at random colours.
  const body = halfResUnet('colorizer', inputs, {
    ...opts, widths: opts.widths ?? COLORIZER_DEFAULT_WIDTHS, dilations: opts.dilations ?? [2, 4], outChannels: 2, headGain: 0.1,
  });
  const ab = body.g.tanh(body.head, 'head.tanh');
  return finish(body.p, ab, inputs, { name: 'ab', role: 'ab', channels: 2 }, ['N', 2, 'H', 'W'], body.multipleOf);
}
