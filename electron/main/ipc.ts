// Main-side IPC: one ipcMain.handle channel per contract call (validated by the service with zod),
// each checking that the sender is the top-level frame of an app page; events pushed to the
// window on one channel; a separate channel through which the preload grants access to a file
// the user dropped (the path comes from webUtils.getPathForFile, never from page script).
import type { ApiService } from '../api/service';
import type { FolderAccess } from '../api/access';
import { CALL_NAMES, IPC_CALL_PREFIX, IPC_EVENT_CHANNEL, type Outcome } from '../api/contract';
import type { IpcMain, IpcMainInvokeEvent, WebContents } from './electronTypes';
import { isTrustedSender } from './security';
import { IPC_GRANT_DROPPED } from './ipcChannels';


export function senderOk(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return isTrustedSender(frame ? { url: frame.url, isMainFrame: frame.parent === null } : null);
}

const refused: Outcome<never> = { ok: false, error: { code: 'forbidden', message: 'IPC refused: the sender is not the app window' } };

export function registerIpc(ipcMain: IpcMain, service: ApiService, access: FolderAccess, target: () => WebContents | null): () => void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(IPC_CALL_PREFIX + name, (event, args) => (senderOk(event) ? service.call(name, args) : refused));
  }
  ipcMain.handle(IPC_GRANT_DROPPED, async (event, file) => {
    if (!senderOk(event) || typeof file !== 'string' || file.length === 0) return refused;
    await access.allow(file);
    return { ok: true, value: { path: file } };
  });
  const off = service.on((e) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, e);
  });
  return () => {
    off();
    for (const name of CALL_NAMES) ipcMain.removeHandler(IPC_CALL_PREFIX + name);
    ipcMain.removeHandler(IPC_GRANT_DROPPED);
  };
}
