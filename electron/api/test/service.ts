// A real API service for tests: the given folder access and workspace, a settings file, one model
// folder, the real engine process (dist/engine-worker.js, one thread), plain media URLs; `extra`
// adds or replaces dependencies (dataDir, keptResultsCapBytes, ...).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineClient } from '../../engine/client';
import type { FolderAccess } from '../access';
import type { Outcome } from '../contract';
import { createApiService, type ApiService, type ServiceDeps } from '../service';
import { SettingsStore } from '../settingsStore';

export const WORKER_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist', 'engine-worker.js');

export function testService(opts: { access: FolderAccess; workspace: string; settingsFile: string; modelDir: string }, extra: Partial<ServiceDeps> = {}): ApiService {
  return createApiService({
    shell: 'web',
    version: '0.0.0-test',
    access: opts.access,
    workspace: opts.workspace,
    settings: new SettingsStore(opts.settingsFile),
    modelFolders: [{ dir: opts.modelDir, source: 'user' }],
    startEngine: (options) => EngineClient.start({ ...options, threads: 1, workerPath: WORKER_PATH }),
    mediaUrl: (file, v) => `media?path=${encodeURIComponent(file)}&v=${v}`,
    ...extra,
  });
}

/** A call's value; a refusal throws, naming the call, the code and the message. */
export async function callValue<T>(s: Pick<ApiService, 'call'>, name: string, args: unknown = {}): Promise<T> {
  const o = (await s.call(name, args)) as Outcome<T>;
  if (!o.ok) throw new Error(`${name}: ${o.error.code}: ${o.error.message}`);
  return o.value;
}
