// Ctrl-C for the long-running commands (processing batches, training): the first interrupt asks
// for a graceful stop (finish what is in hand), every later one for an immediate stop.
import type { CliIO } from './io';

/** Calls `first` on the first Ctrl-C/SIGTERM and `again` on each later one; returns the unsubscribe. */
export function onInterrupts(io: CliIO, first: () => void, again: () => void): () => void {
  let count = 0;
  return io.onInterrupt(() => {
    count += 1;
    if (count === 1) first();
    else again();
  });
}
