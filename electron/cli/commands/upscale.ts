// `restore upscale <input...> -o <output> --scale <2|4>`: super-resolution x2 or x4.
import type { CliIO } from '../io';
import { parseChoice, UsageError } from '../args';
import { runProcessCommand, type ProcessCommandSpec } from '../processCommand';

const options = { scale: { type: 'string' }, tta: { type: 'boolean' } } as const;

export const spec: ProcessCommandSpec<typeof options> = {
  name: 'upscale',
  usage: 'restore upscale <input...> -o <output> --scale <2|4> [--tta]',
  options,
  optionsHelp: `Enlarges images (super-resolution).
  --scale <2|4>            enlargement factor (required)
  --tta                    self-ensemble: average the model over 8 flips/rotations (8x slower,
                           slightly better; see the model card)`,
  steps: (v, common) => {
    const scale = parseChoice('scale', v.scale as string | undefined, ['2', '4'] as const);
    if (!scale) throw new UsageError('--scale 2 or --scale 4 is required');
    return [{ task: 'upscale', scale: scale === '2' ? 2 : 4, ...(v.tta ? { tta: true } : {}), ...(common.model ? { model: common.model } : {}) }];
  },
};

export function run(args: string[], io: CliIO): Promise<number> {
  return runProcessCommand(spec, args, io);
}
