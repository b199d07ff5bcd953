// Electron preload (sandboxed, context-isolated): exposes `window.restore`, the contract's small
// named API, through contextBridge. Calls go to one ipcRenderer.invoke channel per known call
// name (never a raw ipcRenderer or an arbitrary channel); on() returns an unsubscribe function;
// a dropped file's path comes from webUtils.getPathForFile and is granted by the main process.
import { IPC_CALL_PREFIX, IPC_EVENT_CHANNEL, isCallName, type ApiEvent, type Outcome, type RestoreApi } from '../api/contract';
import type { PreloadElectron } from '../main/electronTypes';

// Bundled as CommonJS (build/electron.mjs); Electron is an optional dependency, typed structurally.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { contextBridge, ipcRenderer, webUtils } = require('electron') as PreloadElectron;

import { IPC_GRANT_DROPPED } from '../main/ipcChannels';

function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  const error = new Error(outcome.error.message) as Error & { code: string };
  error.code = outcome.error.code;
  throw error;
}

const api: RestoreApi = {
  async call(name, args) {
    if (!isCallName(name)) throw new Error(`${String(name)}: no such call`);
    return unwrap(await ipcRenderer.invoke(IPC_CALL_PREFIX + name, args));
  },
  on(listener) {
    const handler = (_event: unknown, e: ApiEvent): void => listener(e);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
  async pathForDroppedFile(file) {
    let path = '';
    try {
      path = webUtils.getPathForFile(file as File);
    } catch {
      // not a File from a drop or a file input
    }
    if (!path) throw new Error(`${file.name}: only files dropped from the file manager can be opened`);
    return unwrap<{ path: string }>(await ipcRenderer.invoke(IPC_GRANT_DROPPED, path)).path;
  },
};

contextBridge.exposeInMainWorld('restore', api);
