// `restore upscale <input...> -o <output> --scale <2|4>`: super-resolution x2 or x4.
import type { CliIO } from '../io';
import { parseChoice, UsageError } from '../args';
import { runProcessCommand, type ProcessCommandSpec } from '../processCommand';

const options = { scale: { type: 'string' } } as const;

export const spec: ProcessCommandSpec<typeof options> = {
  name: 'upscale',
  usage: 'restore upscale <input...> -o <output> --scale <2|4>',
  options,
  optionsHelp: `Enlarges images (super-resolution).
  --scale <2|4>            enlargement factor (required)`,
  steps: (v, common) => {
    const scale = parseChoice('scale', v.scale as string | undefined, ['2', '4'] as const);
    if (!scale) throw new UsageError('--scale 2 or --scale 4 is required');
    return [{ task: 'upscale', scale: scale === '2' ? 2 : 4, ...(common.model ? { model: common.model } : {}) }];
  },
};

export function run(args: string[], io: CliIO): Promise<number> {
  return runProcessCommand(spec, args, io);
}
