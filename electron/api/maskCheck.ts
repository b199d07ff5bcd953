// Checks a mask painted in the UI before it is stored: PNG bytes that decode completely (libvips
// with failOn 'error', so truncated or corrupt data is caught) into an image of the photo's size.
// Anything else is refused with an ApiError 'invalid-argument' whose message says what is wrong.
import sharp from 'sharp';
import { ApiError } from './apiError';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export async function checkMask(bytes: Buffer, width: number, height: number): Promise<void> {
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new ApiError('invalid-argument', 'saveMask: the mask is not a PNG image');
  let size: { width?: number; height?: number };
  try {
    size = await sharp(bytes, { failOn: 'error' }).metadata();
  } catch (e) {
    throw new ApiError('invalid-argument', `saveMask: the mask PNG cannot be read (${firstLine(e)})`);
  }
  if (size.width !== width || size.height !== height) {
    throw new ApiError('invalid-argument', `saveMask: the mask is ${size.width ?? '?'} × ${size.height ?? '?'} pixels but the photo is ${width} × ${height}`);
  }
  try {
    // Decoding the pixels (one channel is enough) finds truncated or corrupt image data.
    await sharp(bytes, { failOn: 'error', limitInputPixels: width * height }).extractChannel(0).raw().toBuffer();
  } catch (e) {
    throw new ApiError('invalid-argument', `saveMask: the mask PNG cannot be decoded (${firstLine(e)})`);
  }
}

const firstLine = (e: unknown): string => ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unknown error').trim();
