// Header-only inspection of an untrusted image file: the file must exist, be a non-empty regular
// file, be recognised by libvips (or be a BMP, whose headers bmp.ts reads), and fit the pixel limit.
// Nothing is decoded here.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { ImageError, toImageError } from './errors';
import { readBmpHeader } from './bmp';
import { READABLE_FORMAT_NAMES } from './formats';
import { sharpSupports } from './sharpConfig';
import { sniffFormat } from './sniff';
import { readProcessing } from './xmp';
import { DEFAULT_LIMIT_INPUT_PIXELS, type ImageMetadata } from './types';

/** What readImage needs from the header besides the public metadata. */
export interface ProbeDetails {
  meta: ImageMetadata;
  /** libvips interpretation, e.g. srgb, b-w, grey16, rgb16, cmyk. */
  space: string;
  /** libvips sample format, e.g. uchar, ushort, float. */
  sampleFormat: string;
  channels: number;
  hasAlpha: boolean;
  /** 'av1' or 'hevc' for HEIF-family files. */
  compression?: string;
}

function statReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'file not found (a parent is not a folder)';
  return `cannot access file (${err instanceof Error ? err.message : String(err)})`;
}

async function checkFile(file: string): Promise<void> {
  let st;
  try {
    st = await fs.stat(file);
  } catch (err) {
    throw new ImageError(file, statReason(err), { cause: err });
  }
  if (!st.isFile()) throw new ImageError(file, 'not a regular file');
  if (st.size === 0) throw new ImageError(file, 'empty file (0 bytes)');
}

/**
 * Decoders accepted for untrusted input: raster photo formats only. libvips would also load SVG
 * (which can pull in other files), PDF, its own .v format and others; those are refused.
 */
const ACCEPTED_DECODERS = new Set(['jpeg', 'png', 'webp', 'tiff', 'heif', 'gif', 'jp2', 'jxl']);

function depthOf(sampleFormat: string): 8 | 16 {
  return sampleFormat === 'uchar' || sampleFormat === 'char' ? 8 : 16;
}

function formatName(format: string, compression: string | undefined): string {
  if (format === 'heif') return compression === 'hevc' ? 'heic' : 'avif';
  return format;
}

function checkPixelLimit(file: string, width: number, height: number, limitInputPixels: number): void {
  const pixels = width * height;
  if (limitInputPixels > 0 && pixels > limitInputPixels) {
    throw new ImageError(
      file,
      `image is ${width}x${height} (${(pixels / 1e6).toFixed(1)} megapixels), over the limit of ${(limitInputPixels / 1e6).toFixed(1)} megapixels`,
    );
  }
}

function checkedPixels(file: string, details: ProbeDetails, limitInputPixels: number): ProbeDetails {
  checkPixelLimit(file, details.meta.width, details.meta.height, limitInputPixels);
  return details;
}

/** BMP, which libvips cannot read: its own headers (bmp.ts). 8-bit, gray for a gray palette. */
async function bmpDetails(file: string): Promise<ProbeDetails> {
  const h = await readBmpHeader(file);
  const meta: ImageMetadata = { format: 'bmp', depth: 8, width: h.width, height: h.height };
  if (h.density !== undefined) meta.density = h.density;
  return { meta, space: h.channels === 1 ? 'b-w' : 'srgb', sampleFormat: 'uchar', channels: h.channels, hasAlpha: h.channels === 4 };
}

/** Camera RAW formats: most are TIFF inside, where libvips reads only the small preview of the
 * first directory and would process that silently; refused by extension instead. */
const CAMERA_RAW = new Set(['.dng', '.nef', '.nrw', '.cr2', '.cr3', '.crw', '.arw', '.srf', '.sr2', '.orf', '.rw2', '.rwl', '.pef', '.srw', '.raf', '.3fr', '.erf', '.kdc', '.dcr', '.mrw', '.mos', '.iiq', '.x3f']);

/** Header-only probe with the raw details readImage needs. Throws ImageError. */
export async function probeDetails(file: string, limitInputPixels = DEFAULT_LIMIT_INPUT_PIXELS): Promise<ProbeDetails> {
  await checkFile(file);
  if (CAMERA_RAW.has(path.extname(file).toLowerCase())) {
    throw new ImageError(file, 'camera RAW files are not supported: develop it to TIFF (16-bit keeps the most) or JPEG first, in your camera\'s software or a RAW converter');
  }
  let m: Metadata;
  try {
    m = await sharp(file, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch (err) {
    const looksLike = /unsupported image format/i.test(String(err)) ? await sniffFormat(file) : undefined;
    if (looksLike?.loader === 'bmp') return checkedPixels(file, await bmpDetails(file), limitInputPixels);
    if (looksLike && !sharpSupports(looksLike.loader, 'input')) {
      throw new ImageError(file, `${looksLike.name} images are not supported by this build of libvips/sharp`, { cause: err });
    }
    if (looksLike) throw new ImageError(file, `truncated or corrupt ${looksLike.name} file (its header cannot be read)`, { cause: err });
    throw toImageError(file, err);
  }
  if (!ACCEPTED_DECODERS.has(m.format)) throw new ImageError(file, `${m.format.toUpperCase()} files are not supported (photographs only: ${READABLE_FORMAT_NAMES})`);
  if (!(m.width > 0 && m.height > 0)) throw new ImageError(file, 'image header has no valid dimensions');
  checkPixelLimit(file, m.width, m.height, limitInputPixels);
  const upright = m.autoOrient ?? { width: m.width, height: m.height };
  const meta: ImageMetadata = {
    format: formatName(m.format, m.compression),
    depth: depthOf(m.depth),
    width: upright.width,
    height: upright.height,
  };
  if (m.exif) meta.exif = m.exif;
  if (m.icc) meta.icc = m.icc;
  if (m.xmp) meta.xmp = m.xmp;
  if (m.density !== undefined) meta.density = m.density;
  if (m.orientation !== undefined) meta.orientation = m.orientation;
  if (m.pages !== undefined && m.pages > 1) meta.pages = m.pages;
  const details: ProbeDetails = { meta, space: m.space, sampleFormat: m.depth, channels: m.channels, hasAlpha: m.hasAlpha };
  if (m.compression !== undefined) details.compression = m.compression;
  return details;
}

/** The processing record (xmp.ts) of a file we wrote, read from its header; undefined if none. */
export async function readProcessingRecord(file: string): Promise<Record<string, string> | undefined> {
  try {
    return readProcessing((await sharp(file, { limitInputPixels: false }).metadata()).xmp);
  } catch {
    return undefined;
  }
}

/** Header-only metadata (cheap: no pixel decoding). Width/height are the upright dimensions. */
export async function probeImage(file: string, opts: { limitInputPixels?: number } = {}): Promise<ImageMetadata> {
  return (await probeDetails(file, opts.limitInputPixels)).meta;
}
