// `restore inpaint <input> --mask <mask image> -o <output>`: fills scratches and holes where the
// mask is white; pixels outside the mask are kept exactly. Several inputs may share one mask
// (same size), e.g. scans with the same scanner dust.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CliIO } from '../io';
import { UsageError } from '../args';
import { runProcessCommand, type ProcessCommandSpec } from '../processCommand';

const options = { mask: { type: 'string' } } as const;

export const spec: ProcessCommandSpec<typeof options> = {
  name: 'inpaint',
  usage: 'restore inpaint <input> --mask <mask image, white = fill> -o <output>',
  options,
  optionsHelp: `Fills scratches and holes.
  --mask <image>           mask of the same size as the input, white where pixels are to be filled (required)`,
  steps: (v, common, io) => {
    const mask = v.mask as string | undefined;
    if (!mask) throw new UsageError('--mask <image> is required');
    const abs = path.resolve(io.cwd, mask);
    if (!existsSync(abs)) throw new UsageError(`${mask}: mask not found`);
    return [{ task: 'inpaint', mask: abs, ...(common.model ? { model: common.model } : {}) }];
  },
  protect: (steps) => steps.flatMap((s) => (s.task === 'inpaint' ? [s.mask] : [])),
};

export function run(args: string[], io: CliIO): Promise<number> {
  return runProcessCommand(spec, args, io);
}
