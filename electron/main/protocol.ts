// The app's custom protocols (no file:// anywhere): app://restore/<asset> serves the built renderer
// from one folder, media://file/?path=<absolute path> serves result and source images of folders
// the user allowed. Resolution is pure and unit-tested: percent-encoding, "..", backslashes and
// NUL bytes never lead outside the folder.
import path from 'node:path';
import { isInside } from '../api/access';
import { APP_SCHEME, MEDIA_SCHEME } from './security';

/** File for an app:// request, or null (wrong host, traversal, bad encoding). */
export function resolveAppAsset(requestUrl: string, root: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== 'restore') return null;
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  if (rel === '/' || rel === '') rel = '/index.html';
  const base = path.resolve(root);
  const file = path.resolve(base, '.' + rel);
  return isInside(file, base) && file !== base ? file : null;
}

export function mediaUrl(file: string, version: number): string {
  return `${MEDIA_SCHEME}://file/?path=${encodeURIComponent(file)}&v=${version}`;
}

/** Absolute path named by a media:// request, or null; folder access is checked by the caller. */
export function mediaPathOf(requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${MEDIA_SCHEME}:` || url.host !== 'file') return null;
  const p = url.searchParams.get('path');
  if (!p || p.includes('\0') || !path.isAbsolute(p)) return null;
  return path.normalize(p);
}
