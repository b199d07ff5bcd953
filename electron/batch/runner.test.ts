// Runner logic against a small engine that really decodes and writes with sharp (the real engine
// process is exercised end to end in test/cli/). Checks: per-file errors isolated, skip when the
// output exists, stop after the current file, cancel now, output folders created, events' shape.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { FileProgress, ProcessFileRequest, ProcessFileResult, ProviderStatus } from '../engine/protocol';
import type { BatchEvent } from './events';
import type { PlannedFile } from './plan';
import { runBatch, type BatchEngine } from './runner';

/** Inverts images with sharp; a job can be held until released or cancelled. */
class SharpEngine implements BatchEngine {
  readonly provider: ProviderStatus = { requested: 'auto', active: 'cpu' };
  hold: (() => void) | null = null;
  holdNext = false;
  private cancelled = new Set<string>();
  private rejectHeld: ((e: Error) => void) | null = null;

  async processFile(req: ProcessFileRequest, onProgress?: (p: FileProgress) => void): Promise<ProcessFileResult> {
    const t0 = Date.now();
    if (this.holdNext) {
      this.holdNext = false;
      await new Promise<void>((resolve, reject) => {
        this.hold = resolve;
        this.rejectHeld = reject;
      });
    }
    if (this.cancelled.has(req.jobId)) throw new Error(`${req.input}: cancelled`);
    onProgress?.({ jobId: req.jobId, step: 0, steps: 1, tilesDone: 1, tilesTotal: 1 });
    const { data, info } = await sharp(req.input).negate().raw().toBuffer({ resolveWithObject: true }).catch((e: Error) => {
      throw new Error(`${req.input}: ${e.message}`);
    });
    await sharp(data, { raw: info }).png().toFile(req.output);
    return { input: req.input, output: req.output, seconds: (Date.now() - t0) / 1000, provider: 'cpu', steps: [], width: info.width, height: info.height };
  }

  cancel(jobId: string): void {
    this.cancelled.add(jobId);
    this.rejectHeld?.(new Error(`job ${jobId}: cancelled`));
  }
}

let dir: string;
let files: PlannedFile[];
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-runner-'));
  files = [];
  for (const name of ['a', 'b', 'c']) {
    const input = path.join(dir, `${name}.png`);
    await sharp({ create: { width: 8, height: 6, channels: 3, background: { r: 10, g: 20, b: 30 } } }).png().toFile(input);
    files.push({ input, output: path.join(dir, 'out', 'deep', `${name}.png`), format: 'png' });
  }
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const types = (events: BatchEvent[]): string[] => events.filter((e) => e.type !== 'progress').map((e) => e.type);

describe('runBatch', () => {
  it('processes every file, isolates a bad one, and reports progress and a summary', async () => {
    await fs.writeFile(files[1]!.input, 'not an image');
    const events: BatchEvent[] = [];
    const summary = await runBatch(new SharpEngine(), { files, steps: [{ task: 'colorize' }], onEvent: (e) => events.push(e) });
    expect(types(events)).toEqual(['file-done', 'file-failed', 'file-done', 'summary']);
    const failed = events.find((e) => e.type === 'file-failed');
    expect(failed).toMatchObject({ input: files[1]!.input });
    expect(failed?.type === 'file-failed' && failed.error.startsWith(files[1]!.input + ':')).toBe(true);
    expect(summary).toMatchObject({ done: 2, skipped: 0, failed: 1, provider: 'cpu', interrupted: false, remaining: 0 });
    const last = events.filter((e) => e.type === 'progress').pop();
    expect(last).toMatchObject({ done: 3, total: 3, etaSeconds: 0 });
    const px = await sharp(files[0]!.output).raw().toBuffer();
    expect([...px.subarray(0, 3)]).toEqual([245, 235, 225]);
  });

  it('skips files whose output exists (resume) unless overwrite', async () => {
    await fs.mkdir(path.dirname(files[0]!.output), { recursive: true });
    await fs.writeFile(files[0]!.output, 'previous run');
    const events: BatchEvent[] = [];
    const summary = await runBatch(new SharpEngine(), { files, steps: [], onEvent: (e) => events.push(e) });
    expect(types(events)).toEqual(['file-skipped', 'file-done', 'file-done', 'summary']);
    expect(summary).toMatchObject({ done: 2, skipped: 1 });
    expect(await fs.readFile(files[0]!.output, 'utf8')).toBe('previous run');
    const again = await runBatch(new SharpEngine(), { files, steps: [], overwrite: true, onEvent: () => undefined });
    expect(again).toMatchObject({ done: 3, skipped: 0 });
  });

  it('stops after the current file when asked, and cancels it at once on abort', async () => {
    const engine = new SharpEngine();
    engine.holdNext = true;
    const stop = new AbortController();
    const events: BatchEvent[] = [];
    const running = runBatch(engine, { files, steps: [], stopAfterCurrent: stop.signal, onEvent: (e) => events.push(e) });
    while (!engine.hold) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    engine.hold();
    expect(await running).toMatchObject({ done: 1, interrupted: true, remaining: 2 });

    const engine2 = new SharpEngine();
    engine2.holdNext = true;
    const abort = new AbortController();
    const running2 = runBatch(engine2, { files, steps: [], overwrite: true, signal: abort.signal, onEvent: () => undefined });
    while (!engine2.hold) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    expect(await running2).toMatchObject({ done: 0, failed: 0, interrupted: true, remaining: 3 });
  });

  it('counts a file the engine finished anyway after the cancel (it was in its final write): the summary matches the disk', async () => {
    // found by the trust probe (test/probe/): a cancelled bridge batch reported 0 done while the
    // file in flight was written moments after batch-done
    const engine = new SharpEngine();
    engine.holdNext = true;
    engine.cancel = () => undefined; // too late to stop: the write goes on
    const abort = new AbortController();
    const events: BatchEvent[] = [];
    const running = runBatch(engine, { files, steps: [], overwrite: true, signal: abort.signal, onEvent: (e) => events.push(e) });
    while (!engine.hold) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    setTimeout(() => engine.hold!(), 50);
    const summary = await running;
    const written = (await fs.readdir(path.dirname(files[0]!.output))).filter((f) => !f.startsWith('.'));
    expect(written).toEqual(['a.png']);
    expect(summary).toMatchObject({ done: 1, failed: 0, interrupted: true, remaining: 2 });
    expect(events.filter((e) => e.type === 'file-done')).toMatchObject([{ input: files[0]!.input }]);
  });

  it('does not wait for an engine that ignores a cancel beyond the grace period', async () => {
    const engine = new SharpEngine();
    engine.holdNext = true;
    engine.cancel = () => undefined;
    const abort = new AbortController();
    const running = runBatch(engine, { files, steps: [], overwrite: true, signal: abort.signal, cancelGraceMs: 100, onEvent: () => undefined });
    while (!engine.hold) await new Promise((r) => setTimeout(r, 5));
    const t0 = Date.now();
    abort.abort();
    expect(await running).toMatchObject({ done: 0, interrupted: true, remaining: 3 });
    expect(Date.now() - t0).toBeLessThan(2000);
    engine.hold!();
  });
});

describe('runBatch output checks', () => {
  it('fails a file whose output path is a folder, without touching it', async () => {
    await fs.mkdir(files[2]!.output, { recursive: true });
    const events: BatchEvent[] = [];
    const summary = await runBatch(new SharpEngine(), { files, steps: [], overwrite: true, onEvent: (e) => events.push(e) });
    expect(summary).toMatchObject({ done: 2, failed: 1 });
    expect(events.find((e) => e.type === 'file-failed')).toMatchObject({ input: files[2]!.input, error: `${files[2]!.input}: output ${files[2]!.output} exists and is not a file` });
    expect((await fs.stat(files[2]!.output)).isDirectory()).toBe(true);
  });
});

describe('runBatch gate (pause)', () => {
  it('waits at the gate between files without counting the wait, and an abort while paused stops', async () => {
    let clock = 0;
    let release: (() => void) | null = null;
    let gated = 0;
    const gate = (): Promise<void> => {
      gated += 1;
      if (gated !== 2) return Promise.resolve();
      return new Promise<void>((resolve) => (release = resolve));
    };
    const events: BatchEvent[] = [];
    const running = runBatch(new SharpEngine(), { files, steps: [], gate, now: () => (clock += 100), onEvent: (e) => events.push(e) });
    while (!release) await new Promise((r) => setTimeout(r, 5));
    clock += 3_600_000; // an hour paused
    (release as () => void)();
    const summary = await running;
    expect(summary).toMatchObject({ done: 3, interrupted: false });
    const etas = events.flatMap((e) => (e.type === 'progress' && e.etaSeconds !== null ? [e.etaSeconds] : []));
    expect(etas.length).toBeGreaterThan(0);
    expect(Math.max(...etas)).toBeLessThan(60);

    const abort = new AbortController();
    const paused = runBatch(new SharpEngine(), { files, steps: [], overwrite: true, gate: () => new Promise<void>(() => undefined), signal: abort.signal, onEvent: () => undefined });
    setTimeout(() => abort.abort(), 20);
    expect(await paused).toMatchObject({ done: 0, interrupted: true, remaining: 3 });
  });
});
