// `restore eval`: placeholder until the training engineer's command replaces this module.
import type { CliIO } from '../io';

export async function run(_args: string[], io: CliIO): Promise<number> {
  io.stderr('restore eval: not available yet in this build\n');
  return 2;
}
