// File formats: which output format a path asks for, file extensions, which depths a format
// can hold, and which output format "same as input" means for a given decoder.
import path from 'node:path';
import type { WriteFormat } from './types';

const byExtension: Record<string, WriteFormat> = {
  '.png': 'png',
  '.jpg': 'jpg',
  '.jpeg': 'jpg',
  '.jpe': 'jpg',
  '.tif': 'tif',
  '.tiff': 'tif',
  '.webp': 'webp',
};

/** The writable format named by a path's extension, or undefined (e.g. .avif, .heic, no extension). */
export function formatFromPath(file: string): WriteFormat | undefined {
  return byExtension[path.extname(file).toLowerCase()];
}

/** Canonical extension, with the dot. */
export function extensionFor(format: WriteFormat): string {
  switch (format) {
    case 'png':
      return '.png';
    case 'jpg':
      return '.jpg';
    case 'tif':
      return '.tif';
    case 'webp':
      return '.webp';
  }
}

/** The most pixels a side a format can hold (WebP 16383, JPEG 65535); PNG and TIFF have no practical limit. */
const MAX_SIDE: Partial<Record<WriteFormat, number>> = { webp: 16383, jpg: 65535 };

/** Why an image of width x height cannot be written as `format`, or null when it can. */
export function sizeRefusal(format: WriteFormat, width: number, height: number): string | null {
  const max = MAX_SIDE[format];
  if (max === undefined || (width <= max && height <= max)) return null;
  const name = format === 'jpg' ? 'JPEG' : 'WebP';
  return `${width} x ${height} pixels is over ${name}'s limit of ${max} pixels a side: choose PNG or TIFF`;
}

/** The depth a format is actually written at: JPEG and WebP hold 8 bits only. */
export function effectiveDepth(format: WriteFormat, requested: 8 | 16): 8 | 16 {
  return format === 'jpg' || format === 'webp' ? 8 : requested;
}

/**
 * Output format for "--format same": the input's own format when we can write it, else PNG
 * (lossless, keeps 16 bits and alpha) for AVIF, HEIC, GIF and the rest.
 */
export function sameFormatFor(inputFormat: string): WriteFormat {
  switch (inputFormat) {
    case 'jpeg':
    case 'jpg':
      return 'jpg';
    case 'png':
      return 'png';
    case 'tiff':
    case 'tif':
      return 'tif';
    case 'webp':
      return 'webp';
    default:
      return 'png';
  }
}

/** Extensions readImage is meant for (for folder scans); decoders not built into sharp are left out, but for BMP (bmp.ts) and HEIC (heic.ts). */
export const readableExtensions: readonly string[] = ['.jpg', '.jpeg', '.jpe', '.png', '.tif', '.tiff', '.webp', '.avif', '.heic', '.heif', '.gif', '.bmp', '.dib'];

/** The readable formats, named for messages (HEIC, which libvips cannot decode, by heic.ts). */
export const READABLE_FORMAT_NAMES = 'JPEG, PNG, TIFF, WebP, AVIF, HEIC, GIF, BMP';
