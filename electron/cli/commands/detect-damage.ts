// `restore detect-damage <input...> -o <masks>`: one mask per input (white = damage: scratches,
// dust, hair, cracks, stains), written as PNG unless --format says otherwise, for inspection,
// editing, or `restore inpaint --mask`. The photos themselves are never changed.
import type { CliIO } from '../io';
import { runProcessCommand, type ProcessCommandSpec } from '../processCommand';
import { DAMAGE_OPTIONS_HELP, damageOptions, parseDamageOptions } from './damageOptions';

export const spec: ProcessCommandSpec<typeof damageOptions> = {
  name: 'detect-damage',
  usage: 'restore detect-damage <input...> -o <output masks> [--threshold <0-1>] [--grow <px>]',
  options: damageOptions,
  optionsHelp: `Finds scratches, dust, hair, cracks and stains; writes a mask per input (white = damage, PNG).
${DAMAGE_OPTIONS_HELP}`,
  defaultFormat: 'png',
  steps: (v, common) => [{ task: 'detect-damage', ...parseDamageOptions(v), ...(common.model ? { model: common.model } : {}) }],
};

export function run(args: string[], io: CliIO): Promise<number> {
  return runProcessCommand(spec, args, io);
}
