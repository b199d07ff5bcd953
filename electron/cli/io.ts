// What a CLI command may touch of the outside world: output streams, the working folder, the
// environment and the interrupt (Ctrl-C) notifications. main.ts wires it to the process; tests
// can run a command in-process with their own.

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stderr is a terminal: progress is shown as one updating line. */
  isTTY: boolean;
  /** Terminal width (the progress line is cut to fit, so \r can rewrite it). */
  columns?: number;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Registers a handler for SIGINT/SIGTERM; returns the unsubscribe function. */
  onInterrupt: (cb: () => void) => () => void;
}

/** The CliIO of the running process. */
export function processIO(): CliIO {
  // A closed pipe (`restore ... | head`) must not crash the run: later writes are dropped.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    get columns() {
      return process.stderr.columns;
    },
    cwd: process.cwd(),
    env: process.env,
    onInterrupt: (cb) => {
      const handler = (): void => cb();
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}
