// JPEG quality of a file, read from its luminance quantization table (the DQT segment before the
// first scan): the table's sum against the IJG standard table's gives the IJG scale factor, and
// from it the 1-100 quality setting that produced it (libjpeg's jpeg_quality_scaling, inverted).
// Encoders with their own tables (cameras, Photoshop) land on the IJG quality of similar strength.
// Only the header is read (at most HEADER_BYTES); APPn segments (EXIF with its own thumbnail
// tables) are skipped by their lengths. Not a JPEG, no table, or a damaged header: undefined.
import { promises as fs } from 'node:fs';

/** The IJG (Annex K) luminance table; order does not matter here, only its sum. */
const STANDARD_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const STANDARD_SUM = STANDARD_LUMA.reduce((a, b) => a + b, 0);

/** Bytes of the file searched for the table (a DQT comes before the first scan, after EXIF/ICC). */
export const HEADER_BYTES = 1 << 20;

/** The sum of the 64 entries of quantization table 0 (luminance), or undefined. */
export function lumaTableSum(buf: Uint8Array): number | undefined {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) return undefined;
  let p = 2;
  while (p + 4 <= buf.length) {
    if (buf[p] !== 0xff) return undefined;
    const marker = buf[p + 1]!;
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan or end before any table 0
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2; // markers without a length
      continue;
    }
    const len = (buf[p + 2]! << 8) | buf[p + 3]!;
    if (len < 2 || p + 2 + len > buf.length) return undefined;
    if (marker === 0xdb) {
      let q = p + 4;
      const end = p + 2 + len;
      while (q < end) {
        const precision = buf[q]! >> 4, id = buf[q]! & 15;
        const bytes = precision === 0 ? 64 : 128;
        if (q + 1 + bytes > end) return undefined;
        if (id === 0) {
          let sum = 0;
          for (let k = 0; k < 64; k++) sum += precision === 0 ? buf[q + 1 + k]! : (buf[q + 1 + 2 * k]! << 8) | buf[q + 2 + 2 * k]!;
          return sum;
        }
        q += 1 + bytes;
      }
    }
    p += 2 + len;
  }
  return undefined;
}

/** IJG quality (1-100) whose scaled standard table has this sum. */
export function qualityFromLumaSum(sum: number): number {
  const scale = (100 * sum) / STANDARD_SUM; // libjpeg: q < 50 -> 5000/q, else 200 - 2q (percent)
  const q = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
  return Math.max(1, Math.min(100, Math.round(q)));
}

/** The quality a JPEG file was saved at, estimated from its header; undefined when not a JPEG. */
export async function jpegQuality(file: string): Promise<number | undefined> {
  let fh;
  try {
    fh = await fs.open(file, 'r');
    const buf = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEADER_BYTES, 0);
    const sum = lumaTableSum(buf.subarray(0, bytesRead));
    return sum === undefined ? undefined : qualityFromLumaSum(sum);
  } catch {
    return undefined;
  } finally {
    await fh?.close();
  }
}
