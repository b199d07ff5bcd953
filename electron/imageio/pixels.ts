// sharpPixels: a sharp pipeline over an input's pixels for the callers that resize or convert with
// sharp directly (previews, folder scans, the colour check): the file (or bytes) itself, or for BMP,
// which libvips cannot read, its pixels decoded by bmp.ts and handed to sharp as raw samples.
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { decodeBmp, looksLikeBmp, readBmpFile } from './bmp';
import { sniffFormat } from './sniff';

function fromBmp(decoded: ReturnType<typeof decodeBmp>, options: SharpOptions): Sharp {
  const { header, data } = decoded;
  const { autoOrient: _ignored, ...rest } = options;
  return sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { ...rest, raw: { width: header.width, height: header.height, channels: header.channels } });
}

/** A sharp pipeline over `source` (a path, or a file's bytes named `name` in errors). */
export async function sharpPixels(source: string | Buffer, options: SharpOptions = {}, name = typeof source === 'string' ? source : 'image'): Promise<Sharp> {
  if (typeof source === 'string') {
    return (await sniffFormat(source))?.loader === 'bmp' ? fromBmp(await readBmpFile(source), options) : sharp(source, options);
  }
  return looksLikeBmp(source) ? fromBmp(decodeBmp(source, name), options) : sharp(source, options);
}
