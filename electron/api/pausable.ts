// Pause/resume for a batch: wraps the engine so that, while paused, the next file is not sent
// (the file in flight finishes; `onHeld` then reports that the batch is really idle). The batch runner stays unaware of pausing; cancelling while
// paused releases the gate so the runner sees the abort at once.
import type { BatchEngine } from '../batch/runner';
import type { FileProgress, ProcessFileRequest, ProcessFileResult, ProviderStatus } from '../engine/protocol';

export class PausableEngine implements BatchEngine {
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  private stopped = false;

  /** `onHeld` runs when a file is held back at the gate: nothing is in flight any more. */
  constructor(
    private readonly inner: BatchEngine,
    private readonly onHeld: () => void = () => {},
  ) {}

  get provider(): ProviderStatus {
    return this.inner.provider;
  }
  get paused(): boolean {
    return this.gate !== null;
  }

  pause(): void {
    if (this.gate) return;
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  /** Cancel the batch: a call waiting at the gate fails with "cancelled" instead of starting. */
  stop(): void {
    this.stopped = true;
    this.resume();
  }

  resume(): void {
    const open = this.open;
    this.gate = null;
    this.open = null;
    open?.();
  }

  async processFile(req: ProcessFileRequest, onProgress?: (p: FileProgress) => void): Promise<ProcessFileResult> {
    if (this.gate) this.onHeld();
    while (this.gate) await this.gate;
    if (this.stopped) throw new Error(`${req.input}: cancelled`);
    return this.inner.processFile(req, onProgress);
  }

  cancel(jobId: string): void {
    this.inner.cancel(jobId);
  }
}
