// Starts a complete web-bridge session: folder access (the allowed folders plus a fresh workspace),
// settings store, model folders, the API service with an engine started on demand (results and
// the saved session kept in the user's data folder), and the HTTP server. Used by `restore serve` and by tests that need a real server in-process.
import { randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineClient } from '../engine/client';
import { FolderAccess } from '../api/access';
import { createApiService, type ApiService } from '../api/service';
import { SettingsStore } from '../api/settingsStore';
import type { ModelFolder } from '../api/models';
import { startBridge, type BridgeServer } from './server';
import { appModelsDir, userDataDir } from '../paths';

export interface SessionOptions {
  appRoot: string;
  allow: string[];
  /** Extra model folders (each with a manifest.json), listed as the user's models; imports go to the first. */
  modelDirs: string[];
  settingsFile: string;
  workerPath: string;
  port?: number;
  /** Folder for uploads, masks, results and previews; default a fresh temporary folder (removed on close). */
  workspace?: string;
  staticDir?: string;
  warn?: (message: string) => void;
  /** Where training jobs live (default <userDataDir>/training). */
  trainingDir?: string;
  /** The user's data folder: kept results and the saved session (default userDataDir()). */
  dataDir?: string;
}

/**
 * RESTORE_TRAINING_OVERRIDES: JSON trainer options applied to every training of the session
 * (end-to-end tests use tiny patches and a few steps). Absent or malformed: none.
 */
export function trainingOverrides(env: Readonly<Record<string, string | undefined>>): { trainingOverrides?: Record<string, unknown> } {
  const raw = env.RESTORE_TRAINING_OVERRIDES;
  if (!raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? { trainingOverrides: v as Record<string, unknown> } : {};
  } catch {
    return {};
  }
}

export interface BridgeSession {
  url: string;
  server: BridgeServer;
  service: ApiService;
  workspace: string;
  close(): Promise<void>;
}

export async function startSession(opts: SessionOptions): Promise<BridgeSession> {
  for (const dir of opts.allow) {
    const st = await fs.stat(dir).catch(() => null);
    if (!st?.isDirectory()) throw new Error(`${dir}: not a folder (--allow takes folders)`);
  }
  const ownWorkspace = !opts.workspace;
  const workspace = opts.workspace ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'restore-serve-')));
  await fs.mkdir(workspace, { recursive: true });
  const access = new FolderAccess();
  for (const dir of opts.allow) await access.allow(dir);
  await access.allow(workspace, { internal: true });
  const modelFolders: ModelFolder[] = [
    { dir: appModelsDir(process.env, opts.appRoot), source: 'app' },
    ...opts.modelDirs.map((dir) => ({ dir: path.resolve(dir), source: 'user' as const })),
  ];
  const version = (JSON.parse(readFileSync(path.join(opts.appRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const service = createApiService({
    shell: 'web',
    version,
    access,
    workspace,
    settings: new SettingsStore(opts.settingsFile, opts.warn),
    modelFolders,
    startEngine: (options) => EngineClient.start({ ...options, workerPath: opts.workerPath }),
    mediaUrl: (file, v) => `media?path=${encodeURIComponent(file)}&v=${v}`,
    ...(opts.trainingDir ? { trainingDir: opts.trainingDir } : {}),
    dataDir: opts.dataDir ?? userDataDir(),
    ...trainingOverrides(process.env),
  });
  const server = await startBridge({
    service,
    staticDir: opts.staticDir ?? path.join(opts.appRoot, 'renderer', 'dist'),
    token: randomBytes(24).toString('base64url'),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
  });
  return {
    url: server.url,
    server,
    service,
    workspace,
    async close() {
      await server.close();
      await service.close();
      if (ownWorkspace) await fs.rm(workspace, { recursive: true, force: true });
    },
  };
}
