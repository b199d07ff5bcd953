// A flatbed scan of four prints for the split-scan benchmark row: four of the bench's seeded
// photos, each given a paper border, turned by a few degrees and laid on a white lid with seeded
// grain, as a 600-dpi scan of an album page would look; written once per bench run as PNG.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import { photoFile } from './photo';

/** Turns of the four prints (degrees, clockwise): what a hand lays down. */
export const SCAN_TURNS = [1.5, -2.5, 4, -0.7];
const LID = 242;

export async function printsScanFile(dir: string, width: number, height: number): Promise<string> {
  const file = path.join(dir, `scan-${width}x${height}.png`);
  if (await fs.stat(file).then(() => true, () => false)) return file;
  const pw = Math.round(width * 0.36), ph = Math.round(height * 0.34), border = Math.round(pw * 0.03);
  const layers: OverlayOptions[] = [];
  for (const [k, angle] of SCAN_TURNS.entries()) {
    const photo = await photoFile(dir, pw, ph, { seed: 11 + k });
    const print = await sharp(photo)
      .extend({ top: border, bottom: border, left: border, right: border, background: { r: 236, g: 232, b: 220 } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    const turned = await sharp(print).ensureAlpha().rotate(angle, { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png({ compressionLevel: 1 }).toBuffer();
    const m = await sharp(turned).metadata();
    const cx = width * (k % 2 === 0 ? 0.27 : 0.73), cy = height * (k < 2 ? 0.27 : 0.73);
    layers.push({ input: turned, left: Math.round(cx - m.width / 2), top: Math.round(cy - m.height / 2) });
  }
  const grain = Buffer.allocUnsafe(width * height * 3);
  let s = 777;
  for (let i = 0; i < grain.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    grain[i] = LID + (((s >>> 16) % 5) - 2);
  }
  const partial = `${file}.${process.pid}.tmp`;
  const lid = await sharp(grain, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
  await sharp(lid, { limitInputPixels: false }).composite(layers).png({ compressionLevel: 1 }).toFile(partial);
  await fs.rename(partial, file);
  return file;
}
