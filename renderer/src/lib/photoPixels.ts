// Reads a photo's pixels in the browser for judgements made in the UI (is it monochrome?): its
// preview URL decoded into a small canvas. The pure measure lives in grayness.ts.
import { looksMonochrome } from './grayness';

/**
 * Whether the photo behind `url` (its browser preview) is monochrome, judged on a copy at most
 * `maxSide` pixels long; null when its pixels cannot be read (a cross-origin image taints the canvas).
 */
export async function photoIsMonochrome(url: string, maxSide = 256): Promise<boolean | null> {
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
    return looksMonochrome(ctx.getImageData(0, 0, c.width, c.height).data);
  } catch {
    return null;
  }
}
