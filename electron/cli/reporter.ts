// Turns batch events into output: JSON lines on stdout with --json, otherwise human-readable
// text on stderr (one updating progress line on a terminal, plain lines elsewhere) and the
// written files' paths on stdout, so `restore ... | xargs` gets just the outputs. Errors are
// always printed, one line each.
import path from 'node:path';
import type { BatchEvent } from '../batch/events';
import { formatDuration } from '../batch/progress';
import type { CliIO } from './io';
import { createEventWriter } from './events';

export interface Reporter {
  event: (e: BatchEvent) => void;
  /** A message for the user (warnings, notices), never mixed into --json stdout. */
  note: (text: string) => void;
}

export function createReporter(io: CliIO, json: boolean): Reporter {
  // A file-done event's note (e.g. only the first frame was processed) also goes to stderr.
  const fileNote = (e: BatchEvent): string | undefined => (e.type === 'file-done' && e.note ? `${e.input}: ${e.note}` : undefined);
  if (json) {
    const write = createEventWriter(io.stdout);
    const note = (t: string): void => io.stderr(t + '\n');
    return {
      event: (e) => {
        write(e);
        const n = fileNote(e);
        if (n) note(n);
      },
      note,
    };
  }
  let lineOpen = false;
  const clear = (): void => {
    if (lineOpen) io.stderr('\r\x1b[2K');
    lineOpen = false;
  };
  const line = (text: string): void => {
    clear();
    io.stderr(text + '\n');
  };
  return {
    note: line,
    event: (e) => {
      switch (e.type) {
        case 'progress': {
          const pct = Math.floor(e.fraction * 100);
          const current = e.current ? `  ${path.basename(e.current)}` : '';
          const text = `[${e.done}/${e.total}] ${pct}%  time left ${formatDuration(e.etaSeconds)}${current}`;
          if (io.isTTY) {
            clear();
            io.stderr(text.slice(0, Math.max(20, (io.columns ?? 200) - 1)));
            lineOpen = true;
          }
          return;
        }
        case 'file-done':
          if (!io.isTTY) line(`done ${e.input} -> ${e.output} (${e.seconds.toFixed(1)} s)`);
          else clear();
          if (fileNote(e)) line(`note: ${fileNote(e)}`);
          if (e.redone) line(`redone ${e.input}: ${e.redone}`);
          io.stdout(e.output + '\n');
          return;
        case 'file-skipped':
          // A resumed batch may skip thousands: on a terminal the count is in the progress line
          // and the summary; logs get one line each.
          if (!io.isTTY) line(`skipped ${e.input}: ${e.reason} (${e.output})`);
          return;
        case 'file-failed':
          line(`error: ${e.error}`);
          return;
        case 'summary': {
          const parts = [`${e.done} written`, `${e.skipped} skipped`, `${e.failed} failed`];
          if (e.interrupted) parts.push(`${e.remaining} not started (interrupted)`);
          const shard = e.shard ? `shard ${e.shard.index}/${e.shard.count}: ` : '';
          line(`${shard}${parts.join(', ')} in ${formatDuration(e.seconds)} on ${e.provider}`);
          return;
        }
      }
    },
  };
}
