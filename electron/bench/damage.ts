// A damaged old photo for the repair benchmark rows: the bench's synthetic photo (gray) with
// seeded scratches (bright and dark polylines of 1-3 px) and dust specks drawn over it through an
// SVG overlay, and the matching mask (white = damage, grown by 2 px) as a separate PNG, so that
// detect, inpaint and the whole chain see the same scan.
import path from 'node:path';
import sharp from 'sharp';
import { photoFile } from './photo';

function svgDamage(width: number, height: number, seed: number, asMask: boolean): string {
  let s = seed >>> 0;
  const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const parts: string[] = [];
  for (let k = 0; k < 14; k++) {
    const pts: string[] = [];
    let x = rnd() * width, y = rnd() * height;
    const a = rnd() * Math.PI, len = (0.2 + 0.6 * rnd()) * Math.max(width, height);
    for (let i = 0; i <= 6; i++) {
      pts.push(`${x.toFixed(1)},${y.toFixed(1)}`);
      x += (Math.cos(a) * len) / 6 + (rnd() - 0.5) * 20;
      y += (Math.sin(a) * len) / 6 + (rnd() - 0.5) * 20;
    }
    const wdt = 1 + 2 * rnd();
    const colour = asMask ? 'white' : rnd() < 0.6 ? '#f4f4f4' : '#141414';
    parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${colour}" stroke-width="${(asMask ? wdt + 4 : wdt).toFixed(1)}"/>`);
  }
  for (let k = 0; k < 400; k++) {
    const r = 1 + 3 * rnd();
    parts.push(`<circle cx="${(rnd() * width).toFixed(1)}" cy="${(rnd() * height).toFixed(1)}" r="${(asMask ? r + 2 : r).toFixed(1)}" fill="${asMask ? 'white' : rnd() < 0.5 ? '#f0f0f0' : '#1a1a1a'}"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${asMask ? `<rect width="${width}" height="${height}" fill="black"/>` : ''}${parts.join('')}</svg>`;
}

/** Writes <dir>/damaged-<w>x<h>.png and its mask; returns both paths. */
export async function damagedPhotoFiles(dir: string, width: number, height: number, seed = 3): Promise<{ photo: string; mask: string }> {
  const base = await photoFile(dir, width, height, { gray: true, seed });
  const photo = path.join(dir, `damaged-${width}x${height}.png`);
  const mask = path.join(dir, `damage-mask-${width}x${height}.png`);
  await sharp(base).composite([{ input: Buffer.from(svgDamage(width, height, seed, false)) }]).png().toFile(photo);
  await sharp(Buffer.from(svgDamage(width, height, seed, true))).greyscale().png().toFile(mask);
  return { photo, mask };
}
