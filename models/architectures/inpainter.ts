// Inpainter (issue 14): image with its holes given a coarse push-pull fill (electron/engine/
// pushPull.ts) plus the hole mask in, filled image out.
// The half-resolution U-Net of halfResUnet.ts with three dilated context convs at the coarsest
// level (large holes are filled from far context), a residual head at full resolution that
// corrects the coarse fill (texture and sharp edges at the hole's rim; an untrained head leaves the
// coarse fill as it is), and the composite inside the graph: output = image x (1 - mask) +
// (image + correction) x mask = image + correction x mask, so pixels outside the mask pass through
// exactly and training spends all of its loss on the holes.
import { halfResUnet } from './halfResUnet';
import { finish } from './layers';
import type { ArchitectureResult, CommonOptions, ModelInputSpec } from './types';

export interface InpainterOptions extends CommonOptions {
  /** Image channels (3; gray photos are replicated by the engine). */
  channels?: number;
  /** Feature channels per level at half resolution, finest first (default [32, 64, 128, 256]). */
  widths?: number[];
  /** Dilations of the context convs at the coarsest level (default [2, 4, 8]). */
  dilations?: number[];
}

export const INPAINTER_DEFAULT_WIDTHS = [32, 64, 128, 256];

export function inpainter(opts: InpainterOptions): ArchitectureResult {
  const c = opts.channels ?? 3;
  const inputs: ModelInputSpec[] = [{ name: 'image', role: 'image', channels: c }, { name: 'mask', role: 'mask', channels: 1 }];
  const body = halfResUnet('inpainter', inputs, {
    ...opts, widths: opts.widths ?? INPAINTER_DEFAULT_WIDTHS, dilations: opts.dilations ?? [2, 4, 8], outChannels: c, headGain: 0.1,
  });
  const { g } = body;
  const image = body.planes.get('image')!, mask = body.planes.get('mask')!;
  const out = g.add(image, g.mul(body.head, mask, 'correction'), 'composite');
  return finish(body.p, out, inputs, { name: 'output', role: 'image', channels: c }, ['N', c, 'H', 'W'], body.multipleOf);
}
