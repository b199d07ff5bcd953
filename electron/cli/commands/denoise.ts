// `restore denoise <input...> -o <output> [--sigma <0-75>|auto]`: removes noise and grain. The
// noise level (sigma on the 0-255 scale) is the strength; `auto` (default) estimates it per image.
import type { CliIO } from '../io';
import { UsageError } from '../args';
import { runProcessCommand, type ProcessCommandSpec } from '../processCommand';

export function parseSigma(value: string | undefined): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 75) throw new UsageError(`--sigma must be a number from 0 to 75 or "auto", got "${value}"`);
  return n;
}

const options = { sigma: { type: 'string' }, tta: { type: 'boolean' } } as const;

export const spec: ProcessCommandSpec<typeof options> = {
  name: 'denoise',
  usage: 'restore denoise <input...> -o <output> [--sigma <0-75>|auto] [--tta]',
  options,
  optionsHelp: `Removes noise and film grain.
  --sigma <0-75>|auto      noise level on the 0-255 scale (strength); auto estimates it per image (default)
  --tta                    self-ensemble: average the model over 8 flips/rotations (8x slower,
                           slightly better; see the model card)`,
  steps: (v, common) => [{ task: 'denoise', sigma: parseSigma(v.sigma as string | undefined), ...(v.tta ? { tta: true } : {}), ...(common.model ? { model: common.model } : {}) }],
};

export function run(args: string[], io: CliIO): Promise<number> {
  return runProcessCommand(spec, args, io);
}
