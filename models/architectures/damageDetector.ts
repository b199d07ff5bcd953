// Damage detector (issue 14): a photo in, the probability that each pixel is damage (scratch,
// dust, hair, crack, stain) out. The half-resolution U-Net of halfResUnet.ts, narrow (a 12 MP scan
// runs everywhere, not only where something is marked) with one dilated context conv: telling a
// scratch from a wire or a branch needs the surroundings. A sigmoid head at full resolution keeps
// one-pixel scratches one pixel wide.
import { halfResUnet } from './halfResUnet';
import { finish } from './layers';
import type { ArchitectureResult, CommonOptions, ModelInputSpec } from './types';

export interface DamageDetectorOptions extends CommonOptions {
  /** Feature channels per level at half resolution, finest first (default [16, 32, 64, 96]). */
  widths?: number[];
  dilations?: number[];
}

export const DETECTOR_DEFAULT_WIDTHS = [16, 32, 64, 96];

export function damageDetector(opts: DamageDetectorOptions): ArchitectureResult {
  const inputs: ModelInputSpec[] = [{ name: 'image', role: 'image', channels: 3 }];
  const body = halfResUnet('damage-detector', inputs, {
    ...opts, widths: opts.widths ?? DETECTOR_DEFAULT_WIDTHS, dilations: opts.dilations ?? [2, 4], outChannels: 1, headGain: 0.1,
  });
  const p = body.g.sigmoid(body.head, 'head.sigmoid');
  return finish(body.p, p, inputs, { name: 'damage', role: 'mask', channels: 1 }, ['N', 1, 'H', 'W'], body.multipleOf);
}
