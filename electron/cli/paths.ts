// Where the app's own files are, whether the CLI runs bundled (dist/cli.js) or from source
// (tests): the project root is the nearest folder above this module holding package.json.
import { existsSync } from 'node:fs';
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

/** The app's models folder (models/manifest.json). */
export function appModelsDir(): string {
  return path.join(appRoot(), 'models');
}

/** Model folders: the app's, then the user's extra folders (later ones override by id). */
export function modelFolders(extra: string[]): string[] {
  return [appModelsDir(), ...extra];
}

/** The bundled engine worker (dist/engine-worker.js). */
export function engineWorkerPath(): string {
  return path.join(appRoot(), 'dist', 'engine-worker.js');
}
