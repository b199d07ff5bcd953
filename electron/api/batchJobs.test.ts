// The Batch view's runs stay inside the allowed folders through links, in both directions (issue
// 16): a file link inside an allowed input folder that leads outside is not read (no processed copy
// of the outside image lands in the allowed folder), and a subfolder of the output folder that is
// a symlink to an outside folder gets nothing written into it (nor replaced, skip-existing off).
// The engine here copies bytes, following links as a real decoder and writer would.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderAccess } from './access';
import { BatchJobs } from './batchJobs';
import { DEFAULT_SETTINGS, type ApiEvent } from './contract';
import type { EngineHost } from './engineHost';
import type { ProcessFileRequest, ProcessFileResult } from '../engine/protocol';

const dir = mkdtempSync(path.join(os.tmpdir(), 'batch-confine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const copyingEngine = {
  provider: { requested: 'cpu' as const, active: 'cpu' as const },
  async processFile(req: ProcessFileRequest): Promise<ProcessFileResult> {
    await fs.writeFile(req.output, await fs.readFile(req.input));
    return { input: req.input, output: req.output, seconds: 0, provider: 'cpu', steps: [], width: 1, height: 1 };
  },
  cancel(): void {},
};
const host = { acquire: async () => ({ engine: copyingEngine, release: () => undefined }) } as unknown as EngineHost;

async function runBatch(access: FolderAccess, inputs: string[], output: string, skipExisting: boolean): Promise<ApiEvent[]> {
  const events: ApiEvent[] = [];
  let finish = (): void => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const jobs = new BatchJobs(access, host, async () => DEFAULT_SETTINGS, (e) => {
    events.push(e);
    if (e.type === 'batch-done') finish();
  });
  await jobs.start({ jobId: `job-${events.length}-${Math.random().toString(36).slice(2, 8)}`, inputs, output, recursive: true, steps: [{ task: 'denoise', sigma: 15 }], options: { format: 'same', keepMetadata: true }, skipExisting });
  await done;
  return events;
}

describe('batch confinement through links', () => {
  it('does not read an outside file through a link inside an allowed input folder', async () => {
    const root = path.join(dir, 'a');
    mkdirSync(path.join(root, 'allowed/in'), { recursive: true });
    mkdirSync(path.join(root, 'allowed/out'), { recursive: true });
    mkdirSync(path.join(root, 'outside'), { recursive: true });
    writeFileSync(path.join(root, 'allowed/in/ok.png'), 'own photo');
    writeFileSync(path.join(root, 'outside/secret.png'), 'SECRET');
    symlinkSync(path.join(root, 'outside/secret.png'), path.join(root, 'allowed/in/leak.png'));
    const access = new FolderAccess();
    await access.allow(path.join(root, 'allowed'));

    const events = await runBatch(access, [path.join(root, 'allowed/in')], path.join(root, 'allowed/out'), true);
    expect(readFileSync(path.join(root, 'allowed/out/ok.png'), 'utf8')).toBe('own photo');
    expect(existsSync(path.join(root, 'allowed/out/leak.png'))).toBe(false);
    const failed = events.find((e) => e.type === 'batch-file' && e.status === 'failed');
    expect(failed && failed.type === 'batch-file' ? failed.error : '').toMatch(/leak\.png: a link to a file outside the folders you allowed/);
    const summary = events.find((e) => e.type === 'batch-done');
    expect(summary?.type === 'batch-done' && summary.summary).toMatchObject({ done: 1, failed: 1 });
  });

  it('writes nothing through an output subfolder that links outside, nor replaces a file there', async () => {
    const root = path.join(dir, 'b');
    mkdirSync(path.join(root, 'allowed/in/sub'), { recursive: true });
    mkdirSync(path.join(root, 'allowed/out'), { recursive: true });
    mkdirSync(path.join(root, 'outside'), { recursive: true });
    writeFileSync(path.join(root, 'allowed/in/top.png'), 'top');
    writeFileSync(path.join(root, 'allowed/in/sub/new.png'), 'new');
    writeFileSync(path.join(root, 'allowed/in/sub/old.png'), 'replacement');
    writeFileSync(path.join(root, 'outside/old.png'), 'precious');
    symlinkSync(path.join(root, 'outside'), path.join(root, 'allowed/out/sub'));
    const access = new FolderAccess();
    await access.allow(path.join(root, 'allowed'));

    const events = await runBatch(access, [path.join(root, 'allowed/in')], path.join(root, 'allowed/out'), false);
    expect(readFileSync(path.join(root, 'allowed/out/top.png'), 'utf8')).toBe('top');
    expect(existsSync(path.join(root, 'outside/new.png'))).toBe(false);
    expect(readFileSync(path.join(root, 'outside/old.png'), 'utf8')).toBe('precious');
    const errors = events.flatMap((e) => (e.type === 'batch-file' && e.status === 'failed' ? [e.error ?? ''] : []));
    expect(errors).toHaveLength(2);
    for (const m of errors) expect(m).toMatch(/outside the folders you allowed/);
  });

  it('never writes through an output file that is a link', async () => {
    const root = path.join(dir, 'c');
    mkdirSync(path.join(root, 'allowed/in'), { recursive: true });
    mkdirSync(path.join(root, 'allowed/out'), { recursive: true });
    mkdirSync(path.join(root, 'outside'), { recursive: true });
    writeFileSync(path.join(root, 'allowed/in/x.png'), 'mine');
    writeFileSync(path.join(root, 'outside/x.png'), 'precious');
    symlinkSync(path.join(root, 'outside/x.png'), path.join(root, 'allowed/out/x.png'));
    const access = new FolderAccess();
    await access.allow(path.join(root, 'allowed'));

    const events = await runBatch(access, [path.join(root, 'allowed/in')], path.join(root, 'allowed/out'), false);
    expect(readFileSync(path.join(root, 'outside/x.png'), 'utf8')).toBe('precious');
    const failed = events.find((e) => e.type === 'batch-file' && e.status === 'failed');
    expect(failed && failed.type === 'batch-file' ? failed.error : '').toMatch(/is a symbolic link/);
  });
});
