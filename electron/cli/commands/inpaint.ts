// `restore inpaint <input> --mask <mask image | auto> -o <output> [--tta]`: fills scratches and holes where
// the mask is white; pixels outside the mask are kept exactly. `--mask auto` fills what the damage
// detector finds (see detect-damage). Several inputs may share one mask file (same size), e.g.
// scans with the same scanner dust.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CliIO } from '../io';
import { modelArg, UsageError } from '../args';
import { runProcessCommand, type ProcessCommandSpec } from '../processCommand';
import { AUTO_MASK, maskFiles } from '../../engine/protocol';
import { DAMAGE_OPTIONS_HELP, damageOptions, parseDamageOptions } from './damageOptions';

const options = { mask: { type: 'string' }, detector: { type: 'string' }, threshold: damageOptions.threshold, tta: { type: 'boolean' } } as const;

export const spec: ProcessCommandSpec<typeof options> = {
  name: 'inpaint',
  usage: 'restore inpaint <input> --mask <mask image, white = fill | auto> -o <output> [--tta]',
  options,
  optionsHelp: `Fills scratches and holes.
  --mask <image>|auto      mask of the same size as the input, white where pixels are to be filled
                           (required); auto: fill the damage the detector finds
  --detector <id|file>     --mask auto: the damage detector model (default: the best installed)
  --tta                    self-ensemble: average the fill over 8 flips/rotations (8x the time of
                           the parts that hold damage; +0.06-0.17 dB on the evaluation masks)
${DAMAGE_OPTIONS_HELP.split('\n').slice(0, 2).join('\n')}`,
  steps: (v, common, io) => {
    const mask = v.mask as string | undefined;
    if (!mask) throw new UsageError('--mask <image> or --mask auto is required');
    const shared = { ...(common.model ? { model: common.model } : {}), ...(v.tta ? { tta: true } : {}) };
    if (mask === AUTO_MASK) {
      const { threshold } = parseDamageOptions(v);
      const detector = modelArg(typeof v.detector === 'string' ? v.detector : undefined, io.cwd);
      return [{ task: 'inpaint', mask: AUTO_MASK, ...shared, ...(detector ? { detector } : {}), ...(threshold !== undefined ? { threshold } : {}) }];
    }
    if (v.detector !== undefined || v.threshold !== undefined) throw new UsageError('--detector and --threshold go with --mask auto');
    const abs = path.resolve(io.cwd, mask);
    if (!existsSync(abs)) throw new UsageError(`${mask}: mask not found`);
    return [{ task: 'inpaint', mask: abs, ...shared }];
  },
  protect: (steps) => maskFiles(steps),
};

export function run(args: string[], io: CliIO): Promise<number> {
  return runProcessCommand(spec, args, io);
}
