// ICC profile helpers for writing: whether an input's profile can describe the output pixels,
// a temporary file holding it (sharp's withIccProfile takes a path, not bytes), libvips' own
// sRGB profile, and the PNG iCCP chunk payload.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** The profile's data colour space signature ('RGB ', 'GRAY', 'CMYK', ...), undefined if not a profile. */
export function iccColourSpace(icc: Uint8Array): string | undefined {
  if (icc.byteLength < 132) return undefined;
  const b = Buffer.from(icc.buffer, icc.byteOffset, icc.byteLength);
  if (b.toString('latin1', 36, 40) !== 'acsp') return undefined;
  return b.toString('latin1', 16, 20);
}

/** Device classes a picture can be tagged with (not device links, abstract or named-colour profiles). */
function isImageProfile(icc: Uint8Array): boolean {
  const cls = Buffer.from(icc.buffer, icc.byteOffset, icc.byteLength).toString('latin1', 12, 16);
  return cls === 'mntr' || cls === 'scnr' || cls === 'spac' || cls === 'prtr';
}

/**
 * True when `icc` can be kept for a raster with `channels` channels: RGB profiles on colour
 * rasters only. Gray inputs with a gray profile were converted to sRGB gray on read, and CMYK
 * profiles cannot describe RGB pixels, so those are written untagged (sRGB).
 */
export function iccFitsChannels(icc: Uint8Array, channels: number): boolean {
  return channels >= 3 && isImageProfile(icc) && iccColourSpace(icc) === 'RGB ';
}

let srgb: Promise<Buffer> | undefined;

/** libvips' built-in sRGB profile (bytes), made once by tagging a 1x1 image. */
export function srgbProfile(): Promise<Buffer> {
  srgb ??= sharp({ create: { width: 1, height: 1, channels: 3, background: '#000000' } })
    .withIccProfile('srgb')
    .png()
    .toBuffer()
    .then(async (png) => {
      const icc = (await sharp(png).metadata()).icc;
      if (!icc) throw new Error('libvips did not attach its sRGB profile');
      return icc;
    });
  return srgb;
}

/** Payload of a PNG iCCP chunk: profile name, NUL, compression method 0, zlib stream. */
export function iccpChunkData(icc: Uint8Array, name = 'ICC profile'): Buffer {
  return Buffer.concat([Buffer.from(`${name}\0\0`, 'latin1'), deflateSync(icc)]);
}

/** Run `fn` with the profile stored in a temporary file, removed afterwards. */
export async function withIccFile<T>(icc: Uint8Array, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-icc-'));
  const file = path.join(dir, `${randomBytes(4).toString('hex')}.icc`);
  try {
    await fs.writeFile(file, icc);
    return await fn(file);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
