// IPC wiring of the Electron main process against the real API service: every contract call has a
// handler; calls from a subframe or a foreign page are refused before the service runs; the grant
// of a dropped file's path only comes from the app frame; events reach the window.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderAccess } from '../api/access';
import { CALL_NAMES, IPC_CALL_PREFIX, IPC_EVENT_CHANNEL } from '../api/contract';
import { createApiService } from '../api/service';
import { SettingsStore } from '../api/settingsStore';
import type { IpcMain, IpcMainInvokeEvent, WebContents } from './electronTypes';
import { registerIpc } from './ipc';
import { IPC_GRANT_DROPPED } from './ipcChannels';
import { APP_ENTRY } from './security';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ipc-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Records handlers the way ipcMain.handle does (Electron itself is not installed here). */
class HandlerTable implements IpcMain {
  readonly handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: IpcMainInvokeEvent, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return Promise.resolve(h(event, ...args));
  }
}

describe('registerIpc', () => {
  const access = new FolderAccess();
  const service = createApiService({
    shell: 'electron',
    version: '0.0.0-test',
    access,
    workspace: path.join(dir, 'ws'),
    settings: new SettingsStore(path.join(dir, 'settings.json')),
    modelFolders: [],
    startEngine: () => Promise.reject(new Error('no engine in this test')),
    mediaUrl: (f) => f,
  });
  const ipc = new HandlerTable();
  const sent: Array<[string, unknown]> = [];
  const window: WebContents = {
    send: (channel: string, payload: unknown) => void sent.push([channel, payload]),
    isDestroyed: () => false,
    on: () => undefined,
    setWindowOpenHandler: () => undefined,
  };
  const unregister = registerIpc(ipc, service, access, () => window);
  const top = { senderFrame: { url: APP_ENTRY, parent: null } };
  const sub = { senderFrame: { url: APP_ENTRY, parent: { url: APP_ENTRY, parent: null } } };
  const foreign = { senderFrame: { url: 'https://example.com/', parent: null } };

  it('registers one handler per contract call plus the drop grant', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...CALL_NAMES.map((n) => IPC_CALL_PREFIX + n), IPC_GRANT_DROPPED].sort());
  });

  it('serves the app frame and refuses subframes and foreign pages', async () => {
    expect(await ipc.invoke(`${IPC_CALL_PREFIX}getAppInfo`, top, {})).toMatchObject({ ok: true, value: { shell: 'electron' } });
    for (const event of [sub, foreign, { senderFrame: null }]) {
      expect(await ipc.invoke(`${IPC_CALL_PREFIX}getAppInfo`, event, {})).toEqual({ ok: false, error: { code: 'forbidden', message: 'IPC refused: the sender is not the app window' } });
    }
    expect(await ipc.invoke(`${IPC_CALL_PREFIX}openImage`, top, { path: 7 })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });

  it('grants a dropped file only to the app frame', async () => {
    const file = path.join(dir, 'dropped.png');
    writeFileSync(file, 'x');
    expect(await ipc.invoke(`${IPC_CALL_PREFIX}listDir`, top, { path: dir })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ipc.invoke(IPC_GRANT_DROPPED, foreign, file)).toMatchObject({ ok: false });
    await expect(access.check(file)).rejects.toThrow(/outside the folders you allowed/);
    expect(await ipc.invoke(IPC_GRANT_DROPPED, top, file)).toEqual({ ok: true, value: { path: file } });
    expect(await access.check(file)).toBe(file);
    await expect(access.check(path.join(dir, 'other.png'))).rejects.toThrow(/outside/);
  });

  it('pushes service events to the window and unregisters cleanly', async () => {
    await ipc.invoke(`${IPC_CALL_PREFIX}setSettings`, top, { patch: { provider: 'cpu' } });
    await expect.poll(() => sent.find(([, e]) => (e as { type: string }).type === 'provider')?.[0]).toBe(IPC_EVENT_CHANNEL);
    unregister();
    expect(ipc.handlers.size).toBe(0);
    await service.close();
  });
});
