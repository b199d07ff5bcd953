// Electron main process: one secure BrowserWindow on the app:// protocol, the API service with
// IPC handlers (sender-checked, zod-validated), the engine in a utilityProcess under EngineClient's
// supervisor, native dialogs, the application menu and remembered window state. Security settings
// come from security.ts (unit-tested); Electron is loaded at run time (optional dependency).
import '../ortTelemetry'; // first: before any ONNX Runtime session
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { FolderAccess } from '../api/access';
import { IPC_EVENT_CHANNEL } from '../api/contract';
import { createApiService, type NativeShell } from '../api/service';
import { SettingsStore } from '../api/settingsStore';
import { EngineClient } from '../engine/client';
import { utilityProcessChannel } from '../engine/channel';
import { userDataDir, userModelsDir, userSettingsFile } from '../paths';
import { utilityTrainingChannel } from '../api/training/channel';
import type { BrowserWindow, ElectronModule } from './electronTypes';
import { registerIpc } from './ipc';
import { menuTemplate } from './menu';
import { mediaPathOf, mediaUrl, resolveAppAsset } from './protocol';
import { APP_ENTRY, APP_SCHEME, CONTENT_SECURITY_POLICY, MEDIA_SCHEME, allowNavigation, permissionDecision, webPreferences, windowOpenDecision } from './security';
import { loadWindowState, MIN_SIZE, restoreBounds, saveWindowState } from './windowState';

// Bundled as CommonJS (build/electron.mjs), so require and __dirname exist.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const electron = require('electron') as ElectronModule;
const { app, BrowserWindow: Window, ipcMain, protocol, net, session, shell, dialog, Menu, screen, utilityProcess } = electron;

/** dist/electron/main.cjs -> the app root (dist/..), both in the repo and inside app.asar. */
const appRoot = path.resolve(__dirname, '..', '..');
const rendererDir = path.join(appRoot, 'renderer', 'dist');
const preloadPath = path.join(__dirname, 'preload.cjs');
const workerPath = path.join(appRoot, 'dist', 'engine-worker.js');
const trainingHostPath = path.join(appRoot, 'dist', 'training-host.js');
const modelsDir = app.isPackaged ? path.join((process as NodeJS.Process & { resourcesPath: string }).resourcesPath, 'models') : path.join(appRoot, 'models');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

let win: BrowserWindow | null = null;

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!allowNavigation(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
    return { action: decision.action };
  });
});

async function main(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const access = new FolderAccess();
  const workspace = path.join(app.getPath('temp'), `restore-studio-${process.pid}`);
  await access.allow(workspace, { internal: true });
  const native: NativeShell = {
    async chooseFiles({ mode, title }) {
      if (!win) return null;
      const properties: Array<'openFile' | 'openDirectory' | 'multiSelections' | 'createDirectory'> =
        mode === 'folder' ? ['openDirectory', 'createDirectory'] : mode === 'images' ? ['openFile', 'multiSelections'] : ['openFile'];
      const filters = mode === 'model' ? [{ name: 'ONNX models', extensions: ['onnx'] }] : mode === 'folder' ? undefined : [{ name: 'Images', extensions: ['jpg', 'jpeg', 'png', 'tif', 'tiff', 'webp', 'avif', 'heic', 'heif', 'gif', 'bmp'] }];
      const r = await dialog.showOpenDialog(win, { ...(title ? { title } : {}), properties, ...(filters ? { filters } : {}) });
      return r.canceled ? null : r.filePaths;
    },
    async chooseSavePath({ defaultName, format }) {
      if (!win) return null;
      // The system dialog asks before replacing a file (Linux only when told to); the UI then exports with ifExists 'replace'.
      const r = await dialog.showSaveDialog(win, { defaultPath: path.join(app.getPath('pictures'), defaultName), filters: [{ name: format.toUpperCase(), extensions: [format] }], properties: ['showOverwriteConfirmation', 'createDirectory'] });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async revealPath(p) {
      return (await shell.openPath(p)) === '';
    },
  };
  const service = createApiService({
    shell: 'electron',
    version: app.getVersion(),
    access,
    workspace,
    settings: new SettingsStore(userSettingsFile()),
    modelFolders: [
      { dir: modelsDir, source: 'app' },
      { dir: userModelsDir(), source: 'user' },
    ],
    startEngine: (options) =>
      EngineClient.start({ ...options, workerPath, channelFactory: () => utilityProcessChannel(utilityProcess.fork(workerPath, [], { serviceName: 'Restore engine', stdio: 'inherit' })) }),
    mediaUrl,
    native,
    // Fine-tuning runs in its own utility process at low priority (api/training/channel.ts); jobs live in <userDataDir>/training.
    startTrainingHost: () => utilityTrainingChannel(utilityProcess.fork(trainingHostPath, [], { serviceName: 'Restore training', stdio: 'inherit' })),
    // Restored results and the saved session, kept across restarts (as restore serve does).
    dataDir: userDataDir(),
  });

  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppAsset(request.url, rendererDir);
    if (!file) return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const wanted = mediaPathOf(request.url);
    if (!wanted) return new Response('bad media request', { status: 400 });
    try {
      const media = await service.files.preview(wanted);
      // Streamed from the handle that was checked (FolderAccess.openFile), not reopened by path.
      const body = Readable.toWeb(media.handle.createReadStream()) as unknown as ReadableStream<Uint8Array>;
      return new Response(body, { status: 200, headers: { 'content-type': media.contentType } });
    } catch (e) {
      return new Response((e as Error).message, { status: 403 });
    }
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) => callback(permissionDecision(permission, details.requestingUrl)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission, origin) => permissionDecision(permission, origin));

  const stateFile = path.join(userData, 'window.json');
  const saved = await loadWindowState(stateFile);
  win = new Window({
    ...restoreBounds(saved, screen.getAllDisplays().map((d) => d.workArea)),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    backgroundColor: '#111318',
    title: 'Restore Studio',
    webPreferences: webPreferences(preloadPath),
  });
  if (saved?.maximized) win.maximize();
  const current = win;
  current.on('close', () => void saveWindowState(stateFile, { bounds: current.getNormalBounds(), maximized: current.isMaximized() }));
  current.on('closed', () => (win = null));
  current.once('ready-to-show', () => current.show());

  const unregister = registerIpc(ipcMain, service, access, () => win?.webContents ?? null);
  const send = (action: Parameters<Parameters<typeof menuTemplate>[0]>[0]): void => win?.webContents.send(IPC_EVENT_CHANNEL, { type: 'menu', action });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(send, process.platform)));
  app.on('window-all-closed', () => {
    unregister();
    void service
      .close()
      .then(() => fs.rm(workspace, { recursive: true, force: true }))
      .finally(() => app.quit());
  });
  await current.loadURL(APP_ENTRY);
}

main().catch((e: unknown) => {
  console.error(`restore: ${(e as Error).message}`);
  app.quit();
});
