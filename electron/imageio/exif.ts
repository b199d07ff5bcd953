// Minimal EXIF (TIFF structure) handling: read and reset the Orientation tag of a raw EXIF
// block. The pixels we write are already upright, so a kept EXIF block must say orientation 1,
// or viewers would rotate the image a second time. Everything else in the block is kept as is.

const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1');
const ORIENTATION_TAG = 0x0112;
const TYPE_SHORT = 3;

/** The TIFF structure inside an EXIF block (without the "Exif\0\0" prefix, if present). */
export function tiffPart(exif: Uint8Array): Buffer {
  const b = Buffer.from(exif.buffer, exif.byteOffset, exif.byteLength);
  return b.subarray(0, 6).equals(EXIF_HEADER) ? b.subarray(6) : b;
}

interface Ifd0Entry {
  /** Byte offset of the entry's value field inside the TIFF part. */
  valueOffset: number;
  type: number;
  count: number;
}

function findIfd0Entry(tiff: Buffer, tag: number): Ifd0Entry | undefined | null {
  if (tiff.length < 8) return null;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return null;
  const n = u16(ifd);
  if (ifd + 2 + n * 12 > tiff.length) return null;
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    if (u16(e) === tag) return { valueOffset: e + 8, type: u16(e + 2), count: u32(e + 4) };
  }
  return undefined;
}

/** Set IFD0's "next IFD" offset to 0. Call only on a structure findIfd0Entry accepted. */
function unlinkIfd1(tiff: Buffer): void {
  const le = isLittleEndian(tiff);
  const ifd = le ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
  const n = le ? tiff.readUInt16LE(ifd) : tiff.readUInt16BE(ifd);
  const next = ifd + 2 + n * 12;
  if (next + 4 > tiff.length) return;
  if (le) tiff.writeUInt32LE(0, next);
  else tiff.writeUInt32BE(0, next);
}

/** Offset of IFD1 (0 when there is none), undefined if unreadable. */
export function ifd1Offset(exif: Uint8Array): number | undefined {
  const tiff = tiffPart(exif);
  if (findIfd0Entry(tiff, ORIENTATION_TAG) === null) return undefined;
  const le = isLittleEndian(tiff);
  const ifd = le ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
  const n = le ? tiff.readUInt16LE(ifd) : tiff.readUInt16BE(ifd);
  const next = ifd + 2 + n * 12;
  if (next + 4 > tiff.length) return undefined;
  return le ? tiff.readUInt32LE(next) : tiff.readUInt32BE(next);
}

function isLittleEndian(tiff: Buffer): boolean {
  return tiff.toString('latin1', 0, 2) === 'II';
}

/** Orientation (1-8) stored in an EXIF block, undefined if absent or unreadable. */
export function exifOrientation(exif: Uint8Array): number | undefined {
  const tiff = tiffPart(exif);
  const e = findIfd0Entry(tiff, ORIENTATION_TAG);
  if (!e || e.type !== TYPE_SHORT || e.count !== 1) return undefined;
  return isLittleEndian(tiff) ? tiff.readUInt16LE(e.valueOffset) : tiff.readUInt16BE(e.valueOffset);
}

/**
 * A copy of an EXIF block for an output whose pixels are upright and new: the Orientation tag
 * says 1, and IFD1 (the embedded thumbnail, a picture of the unrestored, unrotated input) is
 * unlinked. Returns undefined when the block is not a readable TIFF structure (better to drop it
 * than to write something that makes viewers rotate the image twice).
 */
export function exifForUprightOutput(exif: Uint8Array): Buffer | undefined {
  const copy = Buffer.from(exif);
  const tiff = tiffPart(copy);
  const e = findIfd0Entry(tiff, ORIENTATION_TAG);
  if (e === null) return undefined;
  unlinkIfd1(tiff);
  if (e !== undefined) {
    if (e.type !== TYPE_SHORT || e.count !== 1) return undefined;
    if (isLittleEndian(tiff)) tiff.writeUInt16LE(1, e.valueOffset);
    else tiff.writeUInt16BE(1, e.valueOffset);
  }
  return copy;
}

/** The block with the "Exif\0\0" prefix (as JPEG APP1 wants it). */
export function withExifHeader(exif: Uint8Array): Buffer {
  return Buffer.concat([EXIF_HEADER, tiffPart(exif)]);
}
