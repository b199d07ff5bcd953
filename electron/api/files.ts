// File-facing calls of the API: folder listing inside the allowed folders, image probing into the
// contract's ImageInfo, mask and upload storage in the session workspace, and browser-displayable
// previews (JPEG/PNG/WebP/GIF/AVIF served as they are; TIFF, HEIC and others converted once to PNG
// and cached by path and modification time). A preview is read through FolderAccess.openFile:
// the file served is the confined one even if a link is swapped in after the check.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sharpPixels } from '../imageio/pixels';
import { probeDetails } from '../imageio/probe';
import { ImageError } from '../imageio/errors';
import { readableExtensions } from '../imageio/formats';
import { ApiError, type DirListing, type ImageInfo } from './contract';
import type { FolderAccess } from './access';
import { Originals } from './originals';
import { checkMask } from './maskCheck';

const BROWSER_FORMATS = new Set(['.jpg', '.jpeg', '.jpe', '.png', '.webp', '.gif', '.avif']);
const IMAGE_EXTENSIONS = new Set(readableExtensions);
/** Longest side of a converted preview (TIFF, HEIC, ...). */
const PREVIEW_MAX = 8192;

export type MediaUrl = (file: string, version: number) => string;

export class FileService {
  /** The session's input photos (opened, uploaded, batch inputs): never written over. */
  readonly originals = new Originals();

  constructor(
    private readonly access: FolderAccess,
    readonly workspace: string,
    private readonly mediaUrl: MediaUrl,
  ) {}

  async listDir(dir: string | undefined): Promise<DirListing> {
    if (!dir) {
      const roots = this.access.list();
      return { path: '', parent: null, entries: roots.map((r) => ({ name: r, path: r, kind: 'dir' as const })) };
    }
    const real = await this.access.check(dir);
    let entries;
    try {
      entries = await fs.readdir(real, { withFileTypes: true });
    } catch (e) {
      throw new ApiError('not-found', `${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (e as Error).message}`);
    }
    const list = entries
      .filter((e) => !e.name.startsWith('.'))
      .map((e) => {
        const full = path.join(real, e.name);
        const kind = e.isDirectory() ? ('dir' as const) : IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase()) ? ('image' as const) : ('file' as const);
        return { name: e.name, path: full, kind };
      })
      .sort((a, b) => (a.kind === 'dir') === (b.kind === 'dir') ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1);
    const parent = path.dirname(real);
    const parentAllowed = parent !== real && (await this.access.check(parent).then(() => true, () => false));
    return { path: real, parent: parentAllowed ? parent : null, entries: list };
  }

  async imageInfo(file: string): Promise<ImageInfo> {
    const real = await this.access.check(file);
    const shown = this.displayName(real);
    const stat = await fs.stat(real).catch(() => null);
    if (!stat?.isFile()) throw new ApiError('not-found', `${shown}: no such file`);
    let details;
    try {
      details = await probeDetails(real);
    } catch (e) {
      const message = (e as Error).message;
      // A file that is no usable image is the caller's to fix (400), not a fault of the app (500).
      throw new ApiError(e instanceof ImageError ? 'invalid-argument' : 'failed', message.includes(real) ? message.split(real).join(shown) : `${shown}: ${message}`);
    }
    return {
      path: real,
      name: path.basename(real),
      width: details.meta.width,
      height: details.meta.height,
      format: details.meta.format,
      depth: details.meta.depth,
      channels: details.channels,
      bytes: stat.size,
      url: this.mediaUrl(real, Math.round(stat.mtimeMs)),
    };
  }

  /**
   * Store a mask painted in the UI (PNG bytes, base64) in the workspace, for the photo `photo`:
   * it must decode as a PNG of the photo's (upright) size, or it is refused naming the reason.
   */
  async saveMask(pngBase64: string, photo: string): Promise<string> {
    const { width, height } = await this.imageInfo(photo);
    const bytes = Buffer.from(pngBase64, 'base64');
    await checkMask(bytes, width, height);
    const dir = path.join(this.workspace, 'masks');
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, `mask-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.png`);
    await fs.writeFile(file, bytes);
    return file;
  }

  /**
   * How a file is named to the user: an upload (a dropped file) by its own name, not by the
   * workspace folder it was received into; any other file by its path.
   */
  displayName(real: string): string {
    const uploads = path.join(this.workspace, 'uploads') + path.sep;
    return real.startsWith(uploads) ? path.basename(real) : real;
  }

  /** Where an uploaded file goes: workspace/uploads/<random>/<sanitised name>. */
  async uploadTarget(name: string): Promise<string> {
    // A name of dots only ('.', '..') would name the folder itself or its parent: never a file name.
    const cleaned = path.basename(name).replace(/[^\w.\- ()]+/g, '_').slice(0, 120);
    const safe = /^\.*$/.test(cleaned) ? 'upload' : cleaned;
    const dir = path.join(this.workspace, 'uploads', randomBytes(6).toString('hex'));
    await fs.mkdir(dir, { recursive: true });
    return path.join(dir, safe);
  }

  /**
   * A file the browser can display for `file` (the file itself, or a cached PNG conversion), open
   * for reading: the caller streams from `handle` and closes it.
   */
  async preview(file: string): Promise<{ file: string; contentType: string; handle: fs.FileHandle }> {
    const opened = await this.access.openFile(file);
    const { real } = opened;
    const ext = path.extname(real).toLowerCase();
    if (BROWSER_FORMATS.has(ext)) return { file: real, contentType: contentTypeOf(ext), handle: opened.handle };
    const id = createHash('sha256').update(`${real}\0${opened.mtimeMs}`).digest('hex').slice(0, 24);
    const out = path.join(this.workspace, 'previews', `${id}.png`);
    let source: Buffer;
    try {
      source = await opened.handle.readFile();
    } finally {
      await opened.handle.close();
    }
    if (!(await fs.stat(out).catch(() => null))) {
      await fs.mkdir(path.dirname(out), { recursive: true });
      const tmp = `${out}.${process.pid}.tmp`;
      try {
        // Shown stretched to the image's own size by the viewer, so a bounded preview loses
        // nothing at screen zoom levels and keeps huge scans decodable by the browser.
        await (await sharpPixels(source, { failOn: 'error', limitInputPixels: false }, file))
          .rotate()
          .resize({ width: PREVIEW_MAX, height: PREVIEW_MAX, fit: 'inside', withoutEnlargement: true })
          .toColourspace('srgb')
          .png({ compressionLevel: 3 })
          .toFile(tmp);
      } catch (e) {
        throw new ApiError('failed', `${file}: cannot make a preview (${(e as Error).message.split('\n')[0]})`);
      }
      await fs.rename(tmp, out);
    }
    return { file: out, contentType: 'image/png', handle: await fs.open(out, 'r') };
  }
}

export function contentTypeOf(ext: string): string {
  const map: Record<string, string> = {
    '.jpg': 'image/jpeg',
    '.jpeg': 'image/jpeg',
    '.jpe': 'image/jpeg',
    '.png': 'image/png',
    '.webp': 'image/webp',
    '.gif': 'image/gif',
    '.avif': 'image/avif',
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.json': 'application/json',
    '.svg': 'image/svg+xml',
    '.map': 'application/json',
    '.woff2': 'font/woff2',
    '.ico': 'image/x-icon',
  };
  return map[ext.toLowerCase()] ?? 'application/octet-stream';
}
