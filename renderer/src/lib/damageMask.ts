// The damage detector's mask (detectDamage's 8-bit gray PNG, white = damage) turned into a raster
// stroke for the mask layer: decoded once (createImageBitmap: no <img>, no CSP or canvas-taint
// question) and split into two photo-sized layers, the marked pixels in the overlay colour and in
// white, so that replaying the strokes stays a couple of drawImage calls. The pixel work is
// maskBits.ts (tested in test/renderer). A saved session's mask comes back the same way.
import { hexToRgb, thresholdMask } from './maskBits';
import { MASK_COLOR, type Stroke } from './strokes';

function layer(width: number, height: number, rgba: Uint8ClampedArray): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  c.getContext('2d')?.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  return c;
}

/**
 * The raster stroke of a mask PNG (base64: the detector's, or a saved session's), scaled to the
 * photo's width x height when it differs; `percent` marked, counted from the pixels when not given.
 */
export async function damageStroke(pngBase64: string, width: number, height: number, percent?: number): Promise<Extract<Stroke, { kind: 'raster' }>> {
  const bytes = Uint8Array.from(atob(pngBase64), (ch) => ch.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('Canvas 2D is unavailable.');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const gray = ctx.getImageData(0, 0, width, height).data;
  c.width = 0; // release the decode canvas now (photo-sized) rather than at the next GC
  const marked = thresholdMask(gray, hexToRgb(MASK_COLOR));
  const overlay = layer(width, height, marked.rgba);
  const mask = layer(width, height, thresholdMask(gray, [255, 255, 255]).rgba);
  return { kind: 'raster', overlay, mask, percent: percent ?? (100 * marked.marked) / Math.max(1, width * height) };
}
