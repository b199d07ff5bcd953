// Where the app may suggest saving the user's files: in a folder the user chose (app.roots), never
// in one of the app's own (a dropped file's upload folder, the saved session's copy of the photo,
// kept results), even when that lies inside a user's folder (e.g. the home folder).
import type { AppInfo } from '@api/contract';

/** The folder part of a path ('/a/b.png' -> '/a'). */
export function dirName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i > 0 ? path.slice(0, i) : path;
}

function within(dir: string, root: string): boolean {
  return dir === root || dir.startsWith(root.replace(/[\\/]$/, '') + '/');
}

/** True when `dir` lies in a folder the user chose and not in a folder of the app's own. */
export function inUserFolders(app: AppInfo, dir: string): boolean {
  const appOwn = [app.workspace, ...app.appFolders];
  return app.roots.some((r) => within(dir, r)) && !appOwn.some((r) => within(dir, r));
}

/** The first of `candidates` that is a user's folder, else the first folder the user chose ('' if none). */
export function suggestedFolder(app: AppInfo, ...candidates: Array<string | undefined>): string {
  return candidates.find((c): c is string => c !== undefined && inUserFolders(app, c)) ?? app.roots[0] ?? '';
}
