// Recognises image files by their first bytes, so a file that libvips calls "unsupported" but
// that starts like a JPEG/PNG/TIFF/... can be reported as damaged rather than as "not an image".
import { promises as fs } from 'node:fs';
import { looksLikeBmp } from './bmp';

/** A format recognised by its signature: display name and libvips loader key (sharp.format). */
export interface Sniffed {
  name: string;
  loader: string;
}

const signatures: Array<Sniffed & { test: (b: Buffer) => boolean }> = [
  { name: 'JPEG', loader: 'jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { name: 'PNG', loader: 'png', test: (b) => b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')) },
  { name: 'TIFF', loader: 'tiff', test: (b) => ['49492a00', '4d4d002a', '49492b00', '4d4d002b'].includes(b.subarray(0, 4).toString('hex')) },
  { name: 'WebP', loader: 'webp', test: (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP' },
  { name: 'GIF', loader: 'gif', test: (b) => b.toString('latin1', 0, 4) === 'GIF8' },
  { name: 'HEIF/AVIF', loader: 'heif', test: (b) => b.toString('latin1', 4, 8) === 'ftyp' },
  { name: 'BMP', loader: 'bmp', test: looksLikeBmp },
];

/** The image format a file's first bytes announce, or undefined. Never throws. */
export async function sniffFormat(file: string): Promise<Sniffed | undefined> {
  try {
    const h = await fs.open(file, 'r');
    try {
      const b = Buffer.alloc(32);
      const { bytesRead } = await h.read(b, 0, b.length, 0);
      const head = b.subarray(0, bytesRead);
      const hit = signatures.find((s) => s.test(head));
      return hit && { name: hit.name, loader: hit.loader };
    } finally {
      await h.close();
    }
  } catch {
    return undefined;
  }
}
