// Ctrl-C while the CLI shuts its engine down (after the batch, before exit): still handled, so
// the run ends with its documented exit code, never killed by the signal. Found by the trust
// probe (test/probe/, issue 16): Ctrl-C twice through the process group, the second one landing
// while the engine closed, ended the CLI by SIGINT. The engine is stopped (SIGSTOP) when the
// summary arrives, so the CLI's close waits for it (its 5 s limit) while SIGINT is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ModelDir } from '../../electron/engine/test/models';
import { restore, tempDir, testModels, writeImage } from './helpers';

let dir: string;
let models: ModelDir;

beforeAll(async () => {
  dir = await tempDir('interrupt-shutdown');
  models = await testModels();
  await writeImage(path.join(dir, 'in', 'a.png'), 64, 48);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
  await models.cleanup();
});

describe('Ctrl-C while the engine closes', () => {
  it('is handled: exit code 0 for the finished run, not death by SIGINT', async () => {
    let engine = 0;
    const r = await restore(['denoise', path.join(dir, 'in'), '-o', path.join(dir, 'out'), '--json', '--sigma', '10', '--models-dir', models.dir, '--threads', '1'], {
      env: { RESTORE_DEBUG_EVENTS: '1' },
      timeoutMs: 60_000,
      onEvent: (e, child) => {
        if (e.type === 'debug' && e.event === 'file-start') engine = Number(e.pid);
        if (e.type === 'summary' && engine > 0) {
          process.kill(engine, 'SIGSTOP');
          // a CLI killed by the signal would leave its stopped engine holding the output pipes
          child.once('exit', () => {
            try {
              process.kill(engine, 'SIGKILL');
            } catch {
              // already gone (the CLI's close killed it)
            }
          });
          setTimeout(() => child.kill('SIGINT'), 500);
        }
      },
    });
    expect(engine).toBeGreaterThan(0);
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(0);
  });
});
