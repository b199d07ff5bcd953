// `restore inpaint <input> --mask <mask image | auto> -o <output>`: fills scratches and holes where
// the mask is white; pixels outside the mask are kept exactly. `--mask auto` fills what the damage
// detector finds (see detect-damage). Several inputs may share one mask file (same size), e.g.
// scans with the same scanner dust.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CliIO } from '../io';
import { UsageError } from '../args';
import { runProcessCommand, type ProcessCommandSpec } from '../processCommand';
import { AUTO_MASK, maskFiles } from '../../engine/protocol';
import { DAMAGE_OPTIONS_HELP, damageOptions, parseDamageOptions } from './damageOptions';

const options = { mask: { type: 'string' }, detector: { type: 'string' }, threshold: damageOptions.threshold } as const;

export const spec: ProcessCommandSpec<typeof options> = {
  name: 'inpaint',
  usage: 'restore inpaint <input> --mask <mask image, white = fill | auto> -o <output>',
  options,
  optionsHelp: `Fills scratches and holes.
  --mask <image>|auto      mask of the same size as the input, white where pixels are to be filled
                           (required); auto: fill the damage the detector finds
  --detector <id|file>     --mask auto: the damage detector model (default: the best installed)
${DAMAGE_OPTIONS_HELP.split('\n').slice(0, 2).join('\n')}`,
  steps: (v, common, io) => {
    const mask = v.mask as string | undefined;
    if (!mask) throw new UsageError('--mask <image> or --mask auto is required');
    const model = common.model ? { model: common.model } : {};
    if (mask === AUTO_MASK) {
      const { threshold } = parseDamageOptions(v);
      const detector = typeof v.detector === 'string' ? (/\.onnx$|[\\/]/i.test(v.detector) ? path.resolve(io.cwd, v.detector) : v.detector) : undefined;
      return [{ task: 'inpaint', mask: AUTO_MASK, ...model, ...(detector ? { detector } : {}), ...(threshold !== undefined ? { threshold } : {}) }];
    }
    if (v.detector !== undefined || v.threshold !== undefined) throw new UsageError('--detector and --threshold go with --mask auto');
    const abs = path.resolve(io.cwd, mask);
    if (!existsSync(abs)) throw new UsageError(`${mask}: mask not found`);
    return [{ task: 'inpaint', mask: abs, ...model }];
  },
  protect: (steps) => maskFiles(steps),
};

export function run(args: string[], io: CliIO): Promise<number> {
  return runProcessCommand(spec, args, io);
}
