// End-to-end test of the Electron app with Playwright's _electron: the window loads the UI over
// app://, the preload's window.restore API answers, Node stays out of the page. Electron is an
// optional dependency; where its binary is not installed this test is skipped with that reason.
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { _electron } from 'playwright-core';
import { ARTIFACTS, ROOT } from './serveFixture';

function electronBinary(): { path: string | null; reason: string } {
  try {
    const p: unknown = createRequire(import.meta.url)('electron');
    return typeof p === 'string' ? { path: p, reason: '' } : { path: null, reason: 'the electron package gave no binary path' };
  } catch (e) {
    return { path: null, reason: `Electron binary not installed (${(e as Error).message.split('\n')[0]})` };
  }
}

const electron = electronBinary();
if (!electron.path) console.warn(`Electron e2e skipped: ${electron.reason}`);

describe.skipIf(!electron.path)(`Electron app${electron.path ? '' : ` [skipped: ${electron.reason}]`}`, () => {
  it('opens a secure window with the UI and the typed API', async () => {
    const built = spawnSync(process.execPath, ['build/electron.mjs'], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const app = await _electron.launch({ executablePath: electron.path!, args: ['.'], cwd: ROOT, env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' } });
    try {
      const page = await app.firstWindow();
      await page.getByText('Drop a photo to restore').waitFor({ timeout: 60_000 });
      expect(page.url()).toBe('app://restore/index.html');
      expect(await page.evaluate('typeof window.restore?.call')).toBe('function');
      expect(await page.evaluate('typeof require')).toBe('undefined');
      expect(await page.evaluate('typeof process')).toBe('undefined');
      const info = (await page.evaluate('window.restore.call("getAppInfo", {})')) as { shell: string };
      expect(info.shell).toBe('electron');
      await fs.mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'electron-restore.png') });
    } finally {
      await app.close();
    }
  });
});
