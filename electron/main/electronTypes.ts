// The slice of Electron's API the main process uses, typed structurally. Electron is an optional
// dependency (absent on CI machines without its binary), so main.ts loads it at run time with
// createRequire and types it with these interfaces instead of importing 'electron' statically.
export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WebFrameMain {
  url: string;
  parent: WebFrameMain | null;
}

export interface IpcMainInvokeEvent {
  senderFrame: WebFrameMain | null;
}

export interface IpcMain {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface WebContents {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  on(event: 'will-navigate', cb: (e: { preventDefault(): void }, url: string) => void): void;
  on(event: 'will-attach-webview', cb: (e: { preventDefault(): void }) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface BrowserWindow {
  webContents: WebContents;
  loadURL(url: string): Promise<void>;
  show(): void;
  once(event: 'ready-to-show', cb: () => void): void;
  on(event: 'close' | 'closed' | 'resize' | 'move', cb: () => void): void;
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  maximize(): void;
}

export interface Session {
  setPermissionRequestHandler(handler: (wc: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void): void;
  setPermissionCheckHandler(handler: (wc: unknown, permission: string, requestingOrigin: string) => boolean): void;
}

export interface MenuItemOptions {
  label?: string;
  role?: string;
  type?: 'separator' | 'normal' | 'submenu';
  accelerator?: string;
  click?: () => void;
  submenu?: MenuItemOptions[];
}

export interface OpenDialogOptions {
  title?: string;
  properties: Array<'openFile' | 'openDirectory' | 'multiSelections' | 'createDirectory'>;
  filters?: Array<{ name: string; extensions: string[] }>;
}

export interface ElectronModule {
  app: {
    whenReady(): Promise<void>;
    on(event: 'window-all-closed' | 'before-quit' | 'activate', cb: () => void): void;
    on(event: 'web-contents-created', cb: (e: unknown, contents: WebContents) => void): void;
    quit(): void;
    getPath(name: 'userData' | 'temp' | 'pictures'): string;
    getVersion(): string;
    enableSandbox(): void;
    isPackaged: boolean;
  };
  BrowserWindow: new (options: Record<string, unknown>) => BrowserWindow;
  ipcMain: IpcMain;
  protocol: {
    registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>): void;
    handle(scheme: string, handler: (request: { url: string }) => Promise<Response> | Response): void;
  };
  net: { fetch(url: string): Promise<Response> };
  session: { defaultSession: Session };
  shell: { openExternal(url: string): Promise<void>; openPath(path: string): Promise<string>; showItemInFolder(path: string): void };
  dialog: {
    showOpenDialog(win: BrowserWindow, options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
    showSaveDialog(win: BrowserWindow, options: { defaultPath?: string; filters?: Array<{ name: string; extensions: string[] }>; properties?: Array<'showOverwriteConfirmation' | 'createDirectory'> }): Promise<{ canceled: boolean; filePath?: string }>;
  };
  Menu: { buildFromTemplate(template: MenuItemOptions[]): unknown; setApplicationMenu(menu: unknown): void };
  screen: { getAllDisplays(): Array<{ workArea: Rectangle }> };
  utilityProcess: {
    fork(modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore' }): import('../api/training/channel').UtilityProcessLike;
  };
}

/** The slice of Electron the preload uses. */
export interface PreloadElectron {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<never>;
    on(channel: string, listener: (event: unknown, ...args: never[]) => void): void;
    removeListener(channel: string, listener: (event: unknown, ...args: never[]) => void): void;
  };
  webUtils: { getPathForFile(file: File): string };
}
