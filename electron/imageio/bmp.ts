// BMP (Windows bitmap) decoding, which libvips (and so sharp) cannot do: Windows scanning software
// still writes it. Reads the headers of every version (OS/2 core, BITMAPINFOHEADER, V2-V5), 1/4/8-bit
// palettes (gray palettes give a gray raster), 16/24/32-bit pixels with or without bit-field masks
// (an alpha mask gives alpha), RLE4 and RLE8, bottom-up and top-down rows. Refuses, naming the
// file, what it cannot read (JPEG- or PNG-compressed BMP, bad headers) and pixel data that ends early.
import { promises as fs } from 'node:fs';
import { ImageError } from './errors';
import { DEFAULT_LIMIT_INPUT_PIXELS } from './types';

/** What the headers say, before any pixel is decoded. */
export interface BmpHeader {
  width: number;
  height: number;
  bitCount: number;
  /** 0 BI_RGB, 1 RLE8, 2 RLE4, 3 BITFIELDS, 6 ALPHABITFIELDS. */
  compression: number;
  topDown: boolean;
  dataOffset: number;
  /** Palette entries as [r, g, b] (1/4/8-bit images). */
  palette: [number, number, number][];
  /** Bit masks of 16/32-bit pixels (r, g, b, a; a = 0 when there is no alpha). */
  masks: [number, number, number, number];
  /** Channels of the decoded raster: 1 (gray palette), 3, or 4 (alpha mask). */
  channels: 1 | 3 | 4;
  /** Pixels per inch, when the header gives a resolution. */
  density?: number;
}

const INFO_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);
const COMPRESSION_NAMES: Record<number, string> = { 4: 'JPEG', 5: 'PNG', 11: 'CMYK', 12: 'CMYK RLE8', 13: 'CMYK RLE4' };

/** True when the first bytes are a BMP file header followed by a known info header size. */
export function looksLikeBmp(head: Uint8Array): boolean {
  if (head.length < 18 || head[0] !== 0x42 || head[1] !== 0x4d) return false;
  const size = head[14]! | (head[15]! << 8) | (head[16]! << 16) | (head[17]! << 24);
  return INFO_HEADER_SIZES.has(size);
}

function defaultMasks(bitCount: number): [number, number, number, number] {
  return bitCount === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0x00ff0000, 0x0000ff00, 0x000000ff, 0];
}

/** Parses the file and info headers and the palette from the file's first bytes (`buf`; the whole
 * file is `fileSize` bytes long). Throws ImageError. */
export function parseBmpHeader(buf: Buffer, file: string, fileSize = buf.length): BmpHeader {
  const bad = (reason: string): never => {
    throw new ImageError(file, `not a readable BMP file (${reason})`);
  };
  if (buf.length < 26 || !looksLikeBmp(buf)) bad('header missing or unknown');
  const dataOffset = buf.readUInt32LE(10);
  const infoSize = buf.readUInt32LE(14);
  if (buf.length < 14 + Math.min(infoSize, 40)) bad('header cut short');
  let width: number, height: number, bitCount: number, compression = 0, colours = 0, density: number | undefined;
  const core = infoSize === 12;
  if (core) {
    width = buf.readUInt16LE(18);
    height = buf.readInt16LE(20);
    bitCount = buf.readUInt16LE(24);
  } else {
    width = buf.readInt32LE(18);
    height = buf.readInt32LE(22);
    bitCount = buf.readUInt16LE(28);
    if (infoSize >= 40) {
      compression = buf.readUInt32LE(30);
      const ppm = buf.readInt32LE(38);
      if (ppm > 0) density = Math.round(ppm * 0.0254); // 2835 px/m = 72 dpi, 11811 = 300
      colours = buf.readUInt32LE(46);
    }
  }
  const topDown = height < 0;
  height = Math.abs(height);
  if (!(width > 0 && height > 0)) bad(`dimensions ${width}x${height}`);
  if (infoSize === 64 && (compression === 3 || compression === 4)) {
    throw new ImageError(file, `OS/2 ${compression === 3 ? 'Huffman' : 'RLE24'}-compressed BMP files are not supported (save it as PNG, TIFF or an uncompressed BMP)`);
  }
  const known = COMPRESSION_NAMES[compression];
  if (known) throw new ImageError(file, `${known}-compressed BMP files are not supported (save it as PNG, TIFF or an uncompressed BMP)`);
  if (![0, 1, 2, 3, 6].includes(compression)) bad(`unknown compression ${compression}`);
  if (![1, 4, 8, 16, 24, 32].includes(bitCount)) bad(`${bitCount} bits per pixel`);
  if ((compression === 1 && bitCount !== 8) || (compression === 2 && bitCount !== 4)) bad(`RLE with ${bitCount} bits per pixel`);
  if ((compression === 3 || compression === 6) && bitCount !== 16 && bitCount !== 32) bad(`bit fields with ${bitCount} bits per pixel`);

  let masks = defaultMasks(bitCount);
  let after = 14 + infoSize;
  if (compression === 3 || compression === 6) {
    // Masks sit inside a V2+ header, or right after a 40-byte one.
    const at = 54;
    const withAlpha = compression === 6 || infoSize >= 56;
    if (buf.length < at + (withAlpha ? 16 : 12)) bad('bit-field masks cut short');
    masks = [buf.readUInt32LE(at), buf.readUInt32LE(at + 4), buf.readUInt32LE(at + 8), withAlpha ? buf.readUInt32LE(at + 12) : 0];
    if (infoSize === 40) after += compression === 6 ? 16 : 12;
  }
  if (masks[0] === 0 && masks[1] === 0 && masks[2] === 0) bad('empty colour masks');

  const palette: [number, number, number][] = [];
  if (bitCount <= 8) {
    const entries = colours > 0 && colours <= 1 << bitCount ? colours : 1 << bitCount;
    const entrySize = core ? 3 : 4;
    const available = Math.floor((Math.min(dataOffset, buf.length) - after) / entrySize);
    const n = Math.min(entries, Math.max(0, available));
    if (n === 0) bad('palette missing');
    for (let i = 0; i < n; i++) {
      const o = after + i * entrySize;
      palette.push([buf[o + 2]!, buf[o + 1]!, buf[o]!]);
    }
  }
  const gray = palette.length > 0 && palette.every(([r, g, b]) => r === g && g === b);
  const channels: 1 | 3 | 4 = gray ? 1 : masks[3] !== 0 ? 4 : 3;
  if (dataOffset >= fileSize) bad('no pixel data');
  return { width, height, bitCount, compression, topDown, dataOffset, palette, masks, channels, ...(density !== undefined ? { density } : {}) };
}

/** A reader of one masked field of a pixel, scaled to 0-255. */
function fieldReader(mask: number): (v: number) => number {
  if (mask === 0) return () => 255;
  const m = mask >>> 0;
  let shift = 0;
  while (((m >>> shift) & 1) === 0) shift++;
  const max = m >>> shift;
  return (v) => Math.round((((v >>> 0) & m) >>> shift) * 255 / max);
}

/** Palette indices of an RLE8/RLE4 image (rows bottom-up as stored; untouched pixels 0). */
function decodeRle(buf: Buffer, h: BmpHeader, file: string): Uint8Array {
  const { width, height } = h;
  const idx = new Uint8Array(width * height);
  const four = h.compression === 2;
  let p = h.dataOffset, x = 0, y = 0;
  const put = (v: number): void => {
    if (x < width && y < height) idx[y * width + x] = v;
    x++;
  };
  const need = (n: number): void => {
    if (p + n > buf.length) throw new ImageError(file, 'truncated or corrupt BMP file (compressed pixel data ends early)');
  };
  for (;;) {
    need(2);
    const count = buf[p]!, value = buf[p + 1]!;
    p += 2;
    if (count > 0) {
      for (let i = 0; i < count; i++) put(four ? (i % 2 === 0 ? value >> 4 : value & 15) : value);
    } else if (value === 0) {
      x = 0;
      y++;
    } else if (value === 1) {
      break;
    } else if (value === 2) {
      need(2);
      x += buf[p]!;
      y += buf[p + 1]!;
      p += 2;
    } else {
      const bytes = four ? Math.ceil(value / 2) : value;
      need(bytes);
      for (let i = 0; i < value; i++) put(four ? (i % 2 === 0 ? buf[p + (i >> 1)]! >> 4 : buf[p + (i >> 1)]! & 15) : buf[p + i]!);
      p += bytes + (bytes % 2);
    }
    if (y >= height) break;
  }
  return idx;
}

/** Decodes a whole BMP file into interleaved 8-bit samples, top row first. Throws ImageError. */
export function decodeBmp(buf: Buffer, file: string): { header: BmpHeader; data: Uint8Array } {
  const h = parseBmpHeader(buf, file);
  const { width, height, channels, palette } = h;
  // Checked before anything is allocated: a header can claim any size (readImage's probe has
  // already applied the caller's pixel limit; previews and scans come here directly).
  if (width * height > DEFAULT_LIMIT_INPUT_PIXELS) throw new ImageError(file, `image is ${width}x${height}, over the limit of ${(DEFAULT_LIMIT_INPUT_PIXELS / 1e6).toFixed(1)} megapixels`);
  const rle = h.compression === 1 || h.compression === 2;
  const stride = Math.floor((h.bitCount * width + 31) / 32) * 4;
  if (!rle && h.dataOffset + stride * (height - 1) + Math.ceil((h.bitCount * width) / 8) > buf.length) {
    throw new ImageError(file, `truncated or corrupt BMP file (pixel data ends early: ${buf.length - h.dataOffset} of ${stride * height} bytes)`);
  }
  const out = new Uint8Array(width * height * channels);
  const setIndex = (o: number, i: number): void => {
    const c = palette[i] ?? palette[0]!;
    if (channels === 1) out[o] = c[0];
    else {
      out[o] = c[0];
      out[o + 1] = c[1];
      out[o + 2] = c[2];
    }
  };
  const rowOf = (stored: number): number => (h.topDown ? stored : height - 1 - stored);
  if (rle) {
    const idx = decodeRle(buf, h, file);
    for (let s = 0; s < height; s++) {
      const y = rowOf(s);
      for (let x = 0; x < width; x++) setIndex((y * width + x) * channels, idx[s * width + x]!);
    }
    return { header: h, data: out };
  }
  const [rf, gf, bf, af] = h.masks.map(fieldReader) as [(v: number) => number, (v: number) => number, (v: number) => number, (v: number) => number];
  let anyAlpha = false;
  for (let s = 0; s < height; s++) {
    const row = h.dataOffset + s * stride;
    const y = rowOf(s);
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * channels;
      if (h.bitCount <= 8) {
        const bit = x * h.bitCount;
        const byte = buf[row + (bit >> 3)]!;
        setIndex(o, (byte >> (8 - h.bitCount - (bit & 7))) & ((1 << h.bitCount) - 1));
      } else if (h.bitCount === 24) {
        const q = row + x * 3;
        out[o] = buf[q + 2]!;
        out[o + 1] = buf[q + 1]!;
        out[o + 2] = buf[q]!;
      } else {
        const v = h.bitCount === 16 ? buf.readUInt16LE(row + x * 2) : buf.readUInt32LE(row + x * 4);
        out[o] = rf(v);
        out[o + 1] = gf(v);
        out[o + 2] = bf(v);
        if (channels === 4) {
          out[o + 3] = af(v);
          if (out[o + 3] !== 0) anyAlpha = true;
        }
      }
    }
  }
  // Writers that fill the alpha field with zeros mean "no alpha", not "all transparent".
  if (channels === 4 && !anyAlpha) for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return { header: h, data: out };
}

/** Enough bytes for every header version and a 256-entry palette. */
const HEADER_BYTES = 14 + 124 + 16 + 256 * 4;

/** The headers of a BMP file, read from its first bytes only. Throws ImageError. */
export async function readBmpHeader(file: string): Promise<BmpHeader> {
  const h = await fs.open(file, 'r');
  try {
    const size = (await h.stat()).size;
    const buf = Buffer.alloc(Math.min(size, HEADER_BYTES));
    await h.read(buf, 0, buf.length, 0);
    return parseBmpHeader(buf, file, size);
  } finally {
    await h.close();
  }
}

/** A whole BMP file decoded. Throws ImageError. */
export async function readBmpFile(file: string): Promise<{ header: BmpHeader; data: Uint8Array }> {
  return decodeBmp(await fs.readFile(file), file);
}
