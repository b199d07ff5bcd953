// Where the app's own files are, whether it runs bundled (dist/*.js) or from source
// (tests): the project root is the nearest folder above this module holding package.json.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function appRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the project folder (package.json) above the CLI');
    dir = up;
  }
  cached = dir;
  return dir;
}

/**
 * The app's models folder (models/manifest.json). RESTORE_APP_MODELS_DIR replaces it (the test
 * suite points it at an empty folder so that its small seeded models are the only ones found).
 */
export function appModelsDir(env: Readonly<Record<string, string | undefined>> = process.env, root?: string): string {
  return env.RESTORE_APP_MODELS_DIR ? path.resolve(env.RESTORE_APP_MODELS_DIR) : path.join(root ?? appRoot(), 'models');
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The built user interface that `restore serve` serves (renderer/dist). RESTORE_UI_DIR replaces it
 * (tests of the first-start build use an empty folder, leaving the checkout's build alone).
 */
export function rendererDistDir(env: Env = process.env, root?: string): string {
  return env.RESTORE_UI_DIR ? path.resolve(env.RESTORE_UI_DIR) : path.join(root ?? appRoot(), 'renderer', 'dist');
}

/**
 * The user's data folder, shared by the desktop app, `restore serve` and the CLI (imported and
 * fine-tuned models, settings): %APPDATA%\restore-studio on Windows, ~/Library/Application
 * Support/restore-studio on macOS, $XDG_DATA_HOME/restore-studio (default ~/.local/share/...) elsewhere.
 */
export function userDataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return path.join(env.APPDATA || path.join(os.homedir(), 'AppData', 'Roaming'), 'restore-studio');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'restore-studio');
  return path.join(env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'restore-studio');
}

/** The user's model folder: <userDataDir>/models (imports and fine-tuned models land here). */
export function userModelsDir(env: Env = process.env): string {
  return path.join(userDataDir(env), 'models');
}

/** The user's settings file: $XDG_CONFIG_HOME/restore-studio/settings.json on Linux, else in userDataDir. */
export function userSettingsFile(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32' || platform === 'darwin') return path.join(userDataDir(env, platform), 'settings.json');
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'restore-studio', 'settings.json');
}

/** Model folders besides the app's: the user's folder, then --models-dir folders. */
export function userModelFolders(extra: string[], env: Env = process.env): string[] {
  return [userModelsDir(env), ...extra];
}

/** All model folders: the app's, the user's, then --models-dir (later ones override by id). */
export function modelFolders(extra: string[], env: Env = process.env): string[] {
  return [appModelsDir(), ...userModelFolders(extra, env)];
}

/** The bundled engine worker (dist/engine-worker.js). */
export function engineWorkerPath(): string {
  return path.join(appRoot(), 'dist', 'engine-worker.js');
}
