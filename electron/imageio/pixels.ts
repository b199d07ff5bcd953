// sharpPixels: a sharp pipeline over an input's pixels for the callers that resize or convert with
// sharp directly (previews, folder scans, the colour check): the file (or bytes) itself, or for BMP,
// which libvips cannot read, its pixels decoded by bmp.ts and handed to sharp as raw samples, and
// for HEIC, which prebuilt libvips cannot decode, its pixels decoded by heic.ts (as tagged PNG).
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { decodeBmp, looksLikeBmp, readBmpFile } from './bmp';
import { heicAsPng, heicHeader } from './heic';
import { sniffFormat } from './sniff';

function fromBmp(decoded: ReturnType<typeof decodeBmp>, options: SharpOptions): Sharp {
  const { header, data } = decoded;
  const { autoOrient: _ignored, ...rest } = options;
  return sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { ...rest, raw: { width: header.width, height: header.height, channels: header.channels } });
}

/** A pipeline over a HEIC's pixels (heic.ts), or null when `source` is not HEIC. */
async function fromHeic(source: string | Buffer, options: SharpOptions, name: string): Promise<Sharp | null> {
  const header = await heicHeader(source);
  if (!header) return null;
  const { autoOrient: _applied, ...rest } = options;
  return sharp((await heicAsPng(source, name, header.icc)).png, rest);
}

/** A sharp pipeline over `source` (a path, or a file's bytes named `name` in errors). */
export async function sharpPixels(source: string | Buffer, options: SharpOptions = {}, name = typeof source === 'string' ? source : 'image'): Promise<Sharp> {
  if (typeof source === 'string') {
    const loader = (await sniffFormat(source))?.loader;
    if (loader === 'bmp') return fromBmp(await readBmpFile(source), options);
    return (loader === 'heif' ? await fromHeic(source, options, name) : null) ?? sharp(source, options);
  }
  if (looksLikeBmp(source)) return fromBmp(decodeBmp(source, name), options);
  return (source.toString('latin1', 4, 8) === 'ftyp' ? await fromHeic(source, options, name) : null) ?? sharp(source, options);
}
