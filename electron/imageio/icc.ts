// ICC profile helpers for writing: whether an input's profile can describe the output pixels,
// and a temporary file holding it (sharp's withIccProfile takes a path, not bytes).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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

/** True when `icc` can be attached to a raster with `channels` channels (RGB profile for colour, gray for gray). */
export function iccFitsChannels(icc: Uint8Array, channels: number): boolean {
  const space = iccColourSpace(icc);
  if (space === undefined || !isImageProfile(icc)) return false;
  return channels >= 3 ? space === 'RGB ' : space === 'GRAY';
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
