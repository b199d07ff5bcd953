// Training images: finds every readable image under a folder (recursively, any format the image
// I/O reads), splits them deterministically into training and held-out validation files (by a
// seeded hash of the relative path, so adding images never moves old ones across the split), and
// decodes them once into compact integer rasters with the channel count the model wants. A
// colourizer learns from colour photos only: with `colourOnly` black-and-white and toned photos
// (engine/color/monochrome.ts, the test the app's colorize step uses) are skipped with the reason.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { readImage, readableExtensions } from '../../electron/imageio';
import { rasterLooksMonochrome } from '../../electron/engine/color/monochrome';

/** The reason a photo is left out of a colourizer's data (ends every such skip message). */
export const MONOCHROME_SKIP = 'black-and-white or toned (a colourizer learns from colour photos)';

/** A decoded image: HWC interleaved integer samples, 1 (gray) or 3 (RGB) channels. */
export interface TrainImage {
  file: string;
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array | Uint16Array;
  /** 255 or 65535: sample value of white. */
  max: number;
}

/** Image files under `dir` (recursive; links to files followed, linked folders not), sorted for determinism. */
export async function listImages(dir: string): Promise<string[]> {
  const exts = new Set(readableExtensions);
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch (e) {
      throw new Error(`${d}: cannot read folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (exts.has(path.extname(e.name).toLowerCase()) && (e.isFile() || (e.isSymbolicLink() && (await fs.stat(p).then((st) => st.isFile(), () => false))))) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

/** Deterministic split: a file is held out when its seeded path hash falls under `valFraction`. */
export function splitFiles(files: string[], root: string, valFraction: number, seed: number, minVal = 1): { train: string[]; val: string[] } {
  const scored = files.map((f) => {
    const h = createHash('sha256').update(`${seed}:${path.relative(root, f).split(path.sep).join('/')}`).digest();
    return { f, u: h.readUInt32BE(0) / 4294967296 };
  });
  let val = scored.filter((s) => s.u < valFraction);
  if (val.length < Math.min(minVal, files.length - 1)) {
    val = [...scored].sort((a, b) => a.u - b.u).slice(0, Math.min(minVal, files.length - 1));
  }
  const valSet = new Set(val.map((v) => v.f));
  return { train: files.filter((f) => !valSet.has(f)), val: files.filter((f) => valSet.has(f)) };
}

/** Decodes one file to 1 or 3 channels (alpha dropped; gray replicated or RGB reduced to luma). */
export async function loadTrainImage(file: string, channels: 1 | 3, colourOnly = false): Promise<TrainImage> {
  const { raster } = await readImage(file);
  if (colourOnly && rasterLooksMonochrome(raster)) throw new Error(`${file}: ${MONOCHROME_SKIP}`);
  const { width, height, data } = raster;
  const src = raster.channels;
  const colour = src >= 3 ? 3 : 1;
  const n = width * height;
  const out = raster.depth === 16 ? new Uint16Array(n * channels) : new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    if (channels === colour) {
      for (let c = 0; c < channels; c++) out[i * channels + c] = data[i * src + c] as number;
    } else if (channels === 3) {
      const v = data[i * src] as number;
      out[i * 3] = v; out[i * 3 + 1] = v; out[i * 3 + 2] = v;
    } else {
      // BT.601 luma of the sRGB values, as the gray training sets were made.
      const r = data[i * src] as number, g = data[i * src + 1] as number, b = data[i * src + 2] as number;
      out[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  return { file, width, height, channels, data: out, max: raster.depth === 16 ? 65535 : 255 };
}

/** Decodes many files (with bounded concurrency); files smaller than `minSize` (and with `colourOnly` black-and-white ones) are skipped. */
export async function loadTrainImages(
  files: string[], channels: 1 | 3, minSize: number, concurrency = 4, colourOnly = false,
): Promise<{ images: TrainImage[]; skipped: string[] }> {
  const images: (TrainImage | null)[] = new Array(files.length).fill(null);
  const skipped: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const f = files[i] as string;
      try {
        const img = await loadTrainImage(f, channels, colourOnly);
        if (img.width >= minSize && img.height >= minSize) images[i] = img;
        else skipped.push(`${f}: smaller than ${minSize} px`);
      } catch (e) {
        skipped.push((e as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { images: images.filter((x): x is TrainImage => x !== null), skipped };
}
