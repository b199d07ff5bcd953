// Entry point of the `restore` command line (bundled to dist/cli.js, started by bin/restore.js):
// runs the command and exits with its code. Any unexpected exception is printed as one line with
// exit code 1 (2 for usage errors); RESTORE_DEBUG=1 prints the stack as well.
import '../ortTelemetry'; // first: before any ONNX Runtime session
import { runCli } from './dispatch';
import { processIO } from './io';

const io = processIO();
try {
  process.exitCode = await runCli(process.argv.slice(2), io);
} catch (e) {
  const err = e as Error;
  io.stderr(`restore: ${process.env.RESTORE_DEBUG === '1' ? (err.stack ?? err.message) : err.message}\n`);
  process.exitCode = err.name === 'UsageError' ? 2 : 1;
}
// The command has finished and its exit code is set: a Ctrl-C arriving now (a second one after an
// interrupted batch) must not turn that code into death by SIGINT.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);
// Exit even if a library keeps a handle open; the timer itself does not keep the process alive.
setTimeout(() => process.exit(), 3000).unref();
