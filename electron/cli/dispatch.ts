// `restore <command>` dispatch: finds electron/cli/commands/<command>.ts and runs it; top-level
// help; unknown commands are usage errors (exit 2). Each command module exports
// `run(args, io): Promise<exitCode>` and owns its own `--help`.
import type { CliIO } from './io';

export type CommandRun = (args: string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: CommandRun }> }> = {
  denoise: { summary: 'remove noise and grain', load: () => import('./commands/denoise') },
  upscale: { summary: 'enlarge x2 or x4 (super-resolution)', load: () => import('./commands/upscale') },
  colorize: { summary: 'add colour to grayscale pictures', load: () => import('./commands/colorize') },
  inpaint: { summary: 'fill scratches and holes given a mask (or found automatically)', load: () => import('./commands/inpaint') },
  'detect-damage': { summary: 'find scratches, dust and cracks (writes masks)', load: () => import('./commands/detect-damage') },
  repair: { summary: 'restore old photos: fill damage, reduce grain, colourize, enlarge', load: () => import('./commands/repair') },
  'split-scan': { summary: 'cut a scan of several prints into one straightened file per print', load: () => import('./commands/split-scan') },
  train: { summary: 'fine-tune a model on your pictures', load: () => import('./commands/train') },
  eval: { summary: 'measure a model on a held-out set', load: () => import('./commands/eval') },
  models: { summary: 'list installed models', load: () => import('./commands/models') },
  serve: { summary: 'serve the app to a browser (web bridge)', load: () => import('./commands/serve') },
};

export const TOP_HELP = `Usage: restore <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`)
  .join('\n')}

  restore denoise  <input...> -o <output> [--sigma <0-75>|auto]
  restore upscale  <input...> -o <output> --scale <2|4>
  restore colorize <input...> -o <output>
  restore inpaint  <input> --mask <mask image, white = fill | auto> -o <output>
  restore detect-damage <input...> -o <output masks>
  restore repair   <input...> -o <output> [--colorize] [--hints <f>] [--scale 2|4]
  restore split-scan <scan...> -o <folder>

Run "restore <command> --help" for a command's options.
Exit codes: 0 every file succeeded, 1 some failed or interrupted (the others are written), 2 usage error.
`;

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic && COMMANDS[topic]) return (await COMMANDS[topic].load()).run(['--help'], io);
    (name === undefined ? io.stderr : io.stdout)(TOP_HELP);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`restore: unknown command "${name}" (run "restore --help")\n`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest, io);
}
