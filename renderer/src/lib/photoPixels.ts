// Reads a photo's pixels in the browser for judgements made in the UI: is it monochrome (the
// measure lives in grayness.ts), and what colour does a result have at a point (colour-point swatches).
import { looksMonochrome } from './grayness';

/**
 * The RGBA pixels of the image behind `url` drawn on a canvas at most `maxSide` pixels long; null when it cannot be decoded or read (a cross-origin image taints the canvas).
 */
async function decodePixels(url: string, maxSide: number): Promise<ImageData | null> {
  const img = new Image();
  img.decoding = 'async';
  img.src = url;
  try {
    await img.decode();
  } catch {
    return null;
  }
  const k = Math.min(1, maxSide / Math.max(img.naturalWidth, img.naturalHeight, 1));
  const c = document.createElement('canvas');
  c.width = Math.max(1, Math.round(img.naturalWidth * k));
  c.height = Math.max(1, Math.round(img.naturalHeight * k));
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(img, 0, 0, c.width, c.height);
  try {
    return ctx.getImageData(0, 0, c.width, c.height);
  } catch {
    return null;
  }
}

/**
 * Whether the photo behind `url` (its browser preview) is monochrome, judged on a copy at most
 * `maxSide` pixels long; null when its pixels cannot be read.
 */
export async function photoIsMonochrome(url: string, maxSide = 256): Promise<boolean | null> {
  const pixels = await decodePixels(url, maxSide);
  return pixels ? looksMonochrome(pixels.data) : null;
}

/** Long side of the copy a result is read from for colours at points: a swatch needs no more than
 * the 768 px preview shows, and a 12 MP result decoded whole would hold ~48 MB for 25 pixels. */
const COLOUR_READ_MAX_SIDE = 1024;
let decoded: { url: string; pixels: ImageData } | null = null;

/** The pixels of the image behind `url` at most COLOUR_READ_MAX_SIDE long (the last one decoded is kept), or null when unreadable. */
async function pixelsOf(url: string): Promise<ImageData | null> {
  if (decoded?.url === url) return decoded.pixels;
  const pixels = await decodePixels(url, COLOUR_READ_MAX_SIDE);
  if (pixels) decoded = { url, pixels };
  return pixels;
}

/**
 * The mean RGB (0-255) of the image behind `url` around (u, v) given as fractions of its width and
 * height (so a downscaled preview answers for the photo's pixel), over a (2r+1)² window; null when
 * its pixels cannot be read.
 */
export async function meanColourAt(url: string, u: number, v: number, r = 2): Promise<[number, number, number] | null> {
  const p = await pixelsOf(url);
  if (!p) return null;
  const cx = Math.min(p.width - 1, Math.max(0, Math.floor(u * p.width)));
  const cy = Math.min(p.height - 1, Math.max(0, Math.floor(v * p.height)));
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = Math.max(0, cy - r); y <= Math.min(p.height - 1, cy + r); y++) {
    for (let x = Math.max(0, cx - r); x <= Math.min(p.width - 1, cx + r); x++) {
      const i = (y * p.width + x) * 4;
      for (let k = 0; k < 3; k++) sum[k]! += p.data[i + k]!;
      n++;
    }
  }
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}
