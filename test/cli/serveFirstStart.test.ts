// `restore serve` right after `npm ci` (issue 16, "what a new user tripped over"): the renderer has
// not been built yet; serve builds it on its first start, says so on stderr, and serves the app
// (not "the user interface is not built"). RESTORE_UI_DIR points serve at an empty folder so the
// checkout's renderer/dist is left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { BIN, NO_USER_MODELS, tempDir } from './helpers';

let dir: string;

beforeAll(async () => {
  dir = await tempDir('serve-first');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Starts serve, returns its URL (first stdout line) and stderr so far, then stops it. */
function serveOnce(env: Record<string, string>): Promise<{ url: string; stderr: string; page: { status: number; body: string } }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--workspace', path.join(dir, 'ws'), '--settings', path.join(dir, 'settings.json')], {
      cwd: dir,
      env: { ...process.env, XDG_DATA_HOME: NO_USER_MODELS, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start within 120 s\n${stderr}`));
    }, 120_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /^Listening on (\S+)/m.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      void fetch(m[1]!).then(async (res) => {
        const page = { status: res.status, body: await res.text() };
        child.kill('SIGINT');
        child.on('close', () => resolve({ url: m[1]!, stderr, page }));
      }, reject);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (!/Listening on/.test(stdout)) reject(new Error(`serve exited with ${code} before listening\n${stderr}`));
    });
  });
}

describe('restore serve on a fresh install', () => {
  it('builds the user interface on first start, then serves it', async () => {
    const ui = path.join(dir, 'ui', 'dist');
    const first = await serveOnce({ RESTORE_UI_DIR: ui });
    expect(first.stderr).toMatch(/building the user interface/);
    expect(first.page.status, first.page.body).toBe(200);
    expect(first.page.body).toMatch(/<html/i);
    expect(existsSync(path.join(ui, 'index.html'))).toBe(true);
    const second = await serveOnce({ RESTORE_UI_DIR: ui });
    expect(second.stderr).not.toMatch(/building the user interface/);
    expect(second.page.status).toBe(200);
  });
});
