// Loading evaluation images as float CHW planes in [0, 1] with their own channel count (gray sets
// stay gray, colour sets RGB): the protocols score gray references on gray values.
import { readImage } from '../../electron/imageio';
import type { Planar } from '../data/degrade';

export async function loadPlanar(file: string, channels?: 1 | 3): Promise<Planar> {
  const { raster } = await readImage(file);
  const src = raster.channels;
  const colour = src >= 3;
  const c = channels ?? (colour ? 3 : 1);
  const n = raster.width * raster.height, inv = 1 / (raster.depth === 16 ? 65535 : 255);
  const data = new Float32Array(c * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c; k++) {
      const sk = colour ? k : 0;
      data[k * n + i] = c === 1 && colour
        ? (0.299 * (raster.data[i * src] as number) + 0.587 * (raster.data[i * src + 1] as number) + 0.114 * (raster.data[i * src + 2] as number)) * inv
        : (raster.data[i * src + sk] as number) * inv;
    }
  }
  return { c, h: raster.height, w: raster.width, data };
}
