// Puts a raw EXIF block into an encoded JPEG, PNG or WebP file. sharp can only write EXIF from
// key/value strings, which would lose maker notes and binary tags, so a kept EXIF block is
// inserted at container level instead (JPEG APP1, PNG eXIf, WebP EXIF chunk). Returns the file
// as a list of slices (views, no copy of the encoded image) for the atomic writer.
import { crc32 } from 'node:zlib';
import { tiffPart, withExifHeader } from './exif';
import type { WriteFormat } from './types';

/** Container-level insertion failed for a reason worth reporting (e.g. EXIF too large for JPEG). */
export class ExifInsertError extends Error {}

const MAX_JPEG_SEGMENT = 0xffff - 2;

function insertJpeg(file: Buffer, exif: Uint8Array): Buffer[] {
  if (file.length < 4 || file[0] !== 0xff || file[1] !== 0xd8) throw new ExifInsertError('encoder output is not a JPEG stream');
  const payload = withExifHeader(exif);
  if (payload.length > MAX_JPEG_SEGMENT) throw new ExifInsertError(`EXIF block of ${payload.length} bytes does not fit a JPEG APP1 segment`);
  // Insert after SOI and a JFIF APP0 segment, if any (JFIF wants APP0 first).
  let at = 2;
  if (file[2] === 0xff && file[3] === 0xe0 && file.length >= 6) at = 4 + file.readUInt16BE(4);
  const header = Buffer.alloc(4);
  header[0] = 0xff;
  header[1] = 0xe1;
  header.writeUInt16BE(payload.length + 2, 2);
  return [file.subarray(0, at), header, payload, file.subarray(at)];
}

function pngChunk(type: string, data: Buffer): Buffer[] {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4, 8))) >>> 0, 0);
  return [head, data, crc];
}

/** The PNG with chunk `type` (data `data`) placed before the first IDAT, replacing any chunk of that type. */
export function insertPngChunk(file: Buffer, type: string, data: Buffer): Buffer[] {
  if (file.length < 8 || file.readUInt32BE(0) !== 0x89504e47) throw new ExifInsertError('encoder output is not a PNG stream');
  const out: Buffer[] = [file.subarray(0, 8)];
  let pos = 8;
  let inserted = false;
  while (pos + 8 <= file.length) {
    const len = file.readUInt32BE(pos);
    const t = file.toString('latin1', pos + 4, pos + 8);
    const end = pos + 12 + len;
    if (end > file.length) throw new ExifInsertError('encoder output has a truncated PNG chunk');
    if (t === 'IDAT' && !inserted) {
      out.push(...pngChunk(type, data));
      inserted = true;
    }
    if (t !== type) out.push(file.subarray(pos, end));
    pos = end;
  }
  if (!inserted) throw new ExifInsertError('encoder output has no PNG IDAT chunk');
  return out;
}

function insertPng(file: Buffer, exif: Uint8Array): Buffer[] {
  return insertPngChunk(file, 'eXIf', Buffer.from(tiffPart(exif)));
}

function riffChunk(fourcc: string, data: Buffer): Buffer[] {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return data.length % 2 === 1 ? [head, data, Buffer.alloc(1)] : [head, data];
}

function insertWebp(file: Buffer, exif: Uint8Array, size: { width: number; height: number; hasAlpha: boolean }): Buffer[] {
  if (file.length < 20 || file.toString('latin1', 0, 4) !== 'RIFF' || file.toString('latin1', 8, 12) !== 'WEBP') {
    throw new ExifInsertError('encoder output is not a WebP stream');
  }
  const chunks: Array<{ fourcc: string; slice: Buffer }> = [];
  let pos = 12;
  while (pos + 8 <= file.length) {
    const fourcc = file.toString('latin1', pos, pos + 4);
    const len = file.readUInt32LE(pos + 4);
    const end = pos + 8 + len + (len % 2);
    if (pos + 8 + len > file.length) throw new ExifInsertError('encoder output has a truncated WebP chunk');
    if (fourcc !== 'EXIF') chunks.push({ fourcc, slice: file.subarray(pos, Math.min(end, file.length)) });
    pos = end;
  }
  const out: Buffer[] = [];
  const first = chunks[0];
  if (first?.fourcc === 'VP8X') {
    const vp8x = Buffer.from(first.slice); // small (18 bytes): copy to set the flag
    vp8x[8] = (vp8x[8] ?? 0) | 0x08;
    out.push(vp8x);
    chunks.shift();
  } else {
    const data = Buffer.alloc(10);
    data[0] = 0x08 | (size.hasAlpha ? 0x10 : 0);
    data.writeUIntLE(size.width - 1, 4, 3);
    data.writeUIntLE(size.height - 1, 7, 3);
    out.push(...riffChunk('VP8X', data));
  }
  const exifChunk = riffChunk('EXIF', Buffer.from(tiffPart(exif)));
  const xmpAt = chunks.findIndex((c) => c.fourcc === 'XMP ');
  const before = xmpAt < 0 ? chunks : chunks.slice(0, xmpAt);
  const after = xmpAt < 0 ? [] : chunks.slice(xmpAt);
  out.push(...before.map((c) => c.slice), ...exifChunk, ...after.map((c) => c.slice));
  const body = out.reduce((n, b) => n + b.length, 0);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body + 4, 4);
  riff.write('WEBP', 8, 'latin1');
  return [riff, ...out];
}

/** The encoded file with `exif` inserted, as slices. TIFF is not handled (libvips' TIFF writer has no EXIF IFD). */
export function insertExif(
  format: Exclude<WriteFormat, 'tif'>,
  file: Buffer,
  exif: Uint8Array,
  size: { width: number; height: number; hasAlpha: boolean },
): Buffer[] {
  switch (format) {
    case 'jpg':
      return insertJpeg(file, exif);
    case 'png':
      return insertPng(file, exif);
    case 'webp':
      return insertWebp(file, exif, size);
  }
}
