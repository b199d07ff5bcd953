// `restore colorize <input...> -o <output>`: adds colour to grayscale pictures (the model predicts
// Lab a/b from L; the original L is kept at full resolution).
import type { CliIO } from '../io';
import { runProcessCommand, type ProcessCommandSpec } from '../processCommand';

const options = {} as const;

export const spec: ProcessCommandSpec<typeof options> = {
  name: 'colorize',
  usage: 'restore colorize <input...> -o <output>',
  options,
  optionsHelp: 'Adds colour to grayscale pictures (colour pictures are colourized from their lightness).',
  steps: (_v, common) => [{ task: 'colorize', ...(common.model ? { model: common.model } : {}) }],
};

export function run(args: string[], io: CliIO): Promise<number> {
  return runProcessCommand(spec, args, io);
}
