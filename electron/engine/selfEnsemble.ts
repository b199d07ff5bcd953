// Self-ensemble ("TTA mode", as Upscayl calls it): a model runs on the eight dihedral transforms
// of its input (identity, flips, 90-degree rotations, transposes) and the outputs, mapped back,
// are averaged. Our convolutional models are not exactly equivariant to these transforms, so
// their eight answers differ slightly and their mean is closer to the truth (measured in the
// model cards: +0.08-0.24 dB) at eight times the compute. Planar CHW buffers of
// one image; transposing transforms swap height and width, which fully convolutional models accept.
import type { RunTile, TensorData } from './tiling';
export { SELF_ENSEMBLE_PROTOCOL_SUFFIX } from '../../models/manifest';

/** The transforms: bit 0 flips columns, bit 1 flips rows, bit 2 transposes (applied first). */
export const DIHEDRAL_TRANSFORMS = [0, 1, 2, 3, 4, 5, 6, 7] as const;

/** The four rotations among them (0, 90, 180, 270 degrees): a model that must treat every
 * direction alike (the damage detector: scratches at any angle) gains most of the eight's mean at
 * half the work (manifest `rotationEnsemble`). */
export const ROTATION_TRANSFORMS = [0, 5, 3, 6] as const;

/** Height and width of an h x w plane after transform t. */
export function transformedSize(t: number, h: number, w: number): [number, number] {
  return t & 4 ? [w, h] : [h, w];
}

/**
 * Index table of transform t for an h x w plane: entry i (row-major position in the original)
 * holds the row-major position of that pixel in the transformed plane. `cache` keeps the tables
 * of the sizes in use (every tile of an image has one or two sizes).
 */
function positions(t: number, h: number, w: number, cache?: Map<string, Uint32Array>): Uint32Array {
  const key = `${t},${h},${w}`;
  const hit = cache?.get(key);
  if (hit) return hit;
  const [th, tw] = transformedSize(t, h, w);
  const out = new Uint32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let ty = t & 4 ? x : y;
      let tx = t & 4 ? y : x;
      if (t & 2) ty = th - 1 - ty;
      if (t & 1) tx = tw - 1 - tx;
      out[y * w + x] = ty * tw + tx;
    }
  }
  if (cache) {
    if (cache.size >= 64) cache.clear();
    cache.set(key, out);
  }
  return out;
}

/** Transform t of c planes of h x w (planar), into a new buffer of c planes of transformedSize. */
export function transformPlanes(src: Float32Array, c: number, h: number, w: number, t: number, cache?: Map<string, Uint32Array>): Float32Array {
  if (t === 0) return src;
  const pos = positions(t, h, w, cache), plane = h * w, out = new Float32Array(c * plane);
  for (let k = 0; k < c; k++) {
    const o = k * plane;
    for (let i = 0; i < plane; i++) out[o + pos[i]!] = src[o + i]!;
  }
  return out;
}

/** Adds the inverse of transform t of `transformed` (c planes, transformed size of h x w) into acc (c planes of h x w). */
export function addUntransformed(transformed: Float32Array, c: number, h: number, w: number, t: number, acc: Float32Array, cache?: Map<string, Uint32Array>): void {
  const plane = h * w;
  if (t === 0) {
    for (let i = 0, n = c * plane; i < n; i++) acc[i]! += transformed[i]!;
    return;
  }
  const pos = positions(t, h, w, cache);
  for (let k = 0; k < c; k++) {
    const o = k * plane;
    for (let i = 0; i < plane; i++) acc[o + i]! += transformed[o + pos[i]!]!;
  }
}

/**
 * Wraps a tile runner so that each window runs under the transforms (all eight by default) and returns their mean.
 * Feeds are NCHW with N = 1; the output's spatial size may be a multiple of the input's (scale).
 * The result buffer is reused between calls, like the runner's own.
 */
export function selfEnsembleRun(run: RunTile, transforms: readonly number[] = DIHEDRAL_TRANSFORMS): RunTile {
  let acc = new Float32Array(0);
  const tables = new Map<string, Uint32Array>();
  return async (feeds) => {
    const names = Object.keys(feeds);
    const first = feeds[names[0]!]!;
    const [h, w] = [first.dims[2]!, first.dims[3]!];
    let dims: number[] = [];
    for (const [k, t] of transforms.entries()) {
      const [th, tw] = transformedSize(t, h, w);
      const tf: Record<string, TensorData> = {};
      for (const n of names) {
        const f = feeds[n]!;
        tf[n] = { data: transformPlanes(f.data, f.dims[1]!, h, w, t, tables), dims: [1, f.dims[1]!, th, tw] };
      }
      const out = await run(tf);
      const c = out.dims[1]!, oh = (out.dims[t & 4 ? 3 : 2]!), ow = (out.dims[t & 4 ? 2 : 3]!);
      if (k === 0) {
        dims = [1, c, oh, ow];
        if (acc.length !== out.data.length) acc = new Float32Array(out.data.length);
        else acc.fill(0);
      }
      addUntransformed(out.data, c, oh, ow, t, acc, tables);
    }
    const inv = 1 / transforms.length;
    for (let i = 0; i < acc.length; i++) acc[i]! *= inv;
    return { data: acc, dims };
  };
}
