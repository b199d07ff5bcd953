// Inpainting holes for accelerator jobs: the GPU side has no port of masks.ts (brush strokes,
// boxes, scratches, crops of the real film-damage library), so the export draws a bank of holes
// with the very generator the Node pipeline trains with (randomHoleMask, the job's damage
// library, a generator seeded from the job's seed) and ships it packed: one bit a pixel, rows
// first, most significant bit first (numpy.unpackbits' default order), gzip-compressed. The GPU
// batch maker takes a random hole of the bank under a random one of the eight flips and rotations
// (as the Node pipeline's masks have no preferred orientation, the law is unchanged; only the
// variety is bounded: count x 8 holes).
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Rng } from '../rng';
import { randomHoleMask, type DamageLibrary } from '../data/masks';

/** Holes in the bank of a job (x 8 orientations on the GPU side). */
export const HOLE_BANK_SIZE = 8192;

export interface HoleBank { file: string; count: number; side: number }

/** `count` holes of side x side from randomHoleMask, packed one bit a pixel. */
export function packHoles(side: number, count: number, seed: number, lib?: DamageLibrary): Buffer {
  const rng = new Rng(seed);
  const bytesPer = Math.ceil((side * side) / 8);
  const out = Buffer.alloc(bytesPer * count);
  for (let k = 0; k < count; k++) {
    const m = randomHoleMask(side, rng, lib);
    const o = k * bytesPer;
    for (let i = 0; i < m.length; i++) if ((m[i] as number) > 0) out[o + (i >> 3)]! |= 0x80 >> (i & 7);
  }
  return out;
}

/** Writes `holes.bin.gz` of a job and returns its description for job.json. */
export async function writeHoleBank(file: string, side: number, seed: number, lib?: DamageLibrary, count = HOLE_BANK_SIZE): Promise<HoleBank> {
  const packed = packHoles(side, count, seed, lib);
  await fs.writeFile(file, await promisify(zlib.gzip)(packed, { level: 9 }));
  return { file: file.split(/[\\/]/).pop() as string, count, side };
}
