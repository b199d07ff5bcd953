// Damage for detector accelerator jobs: the GPU side has no port of the damage layers
// (damageSample.ts: real film-damage crops, procedural scratches, specks), so the export draws a
// bank of damaged samples' overlays with the very code the Node pipeline trains with
// (damageLayer, the job's damage library and mix, a generator seeded from the job's seed).
// Layers composite one after the other toward a gray tone (degrade.ts compositeTone), so any stack
// of them is one overlay: x' = x (1 - A) + B with A = 1 - prod(1 - a_k), B = the tones so blended
// (B <= A). Per sample the bank holds A and B as 8-bit planes and the target (1 where a layer's
// opacity reached DAMAGE_THRESHOLD) as bits, rows first, most significant bit first; the whole
// bank gzip-compressed. The GPU batch maker applies a random overlay under a random one of the
// eight flips and rotations to the samples drawn as damaged.
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Rng } from '../rng';
import type { DamageLibrary } from '../data/masks';
import { DAMAGE_THRESHOLD, DEFAULT_DAMAGE_MIX, damageLayer, type DamageMix } from '../data/damageSample';

/** Damaged samples in the bank of a job (x 8 orientations on the GPU side). */
export const DAMAGE_BANK_SIZE = 2048;

export interface DamageBank { file: string; count: number; side: number }

export interface DamageOverlay { a: Float32Array; b: Float32Array; target: Float32Array }

/** One damaged sample's overlay: 1-3 layers, each light (60%) or dark at an opacity of 0.5-1,
 * drawn as damageSample.ts damageExample draws them. */
export function damageOverlay(side: number, rng: Rng, lib: DamageLibrary | undefined, mix: DamageMix): DamageOverlay {
  const n = side * side;
  const a = new Float32Array(n), b = new Float32Array(n), target = new Float32Array(n);
  for (let k = 0, layers = 1 + rng.int(3); k < layers; k++) {
    const alpha = damageLayer(side, rng, mix.thinScratches, lib);
    const light = rng.next() < 0.6;
    const tone = light ? rng.uniform(0.75, 1) : rng.uniform(0, 0.3);
    const opacity = rng.uniform(0.5, 1);
    for (let i = 0; i < n; i++) {
      const t = (alpha[i] as number) * opacity;
      if (t <= 0) continue;
      a[i] = (a[i] as number) * (1 - t) + t;
      b[i] = (b[i] as number) * (1 - t) + tone * t;
      if (t >= DAMAGE_THRESHOLD) target[i] = 1;
    }
  }
  return { a, b, target };
}

/** `count` overlays of side x side, packed: A bytes, B bytes, target bits per sample. */
export function packDamage(side: number, count: number, seed: number, lib: DamageLibrary | undefined, mix: DamageMix): Buffer {
  const rng = new Rng(seed);
  const n = side * side, bits = Math.ceil(n / 8), per = 2 * n + bits;
  const out = Buffer.alloc(per * count);
  for (let k = 0; k < count; k++) {
    const { a, b, target } = damageOverlay(side, rng, lib, mix);
    const o = k * per;
    for (let i = 0; i < n; i++) {
      out[o + i] = Math.round((a[i] as number) * 255);
      out[o + n + i] = Math.round((b[i] as number) * 255);
      if ((target[i] as number) > 0) out[o + 2 * n + (i >> 3)]! |= 0x80 >> (i & 7);
    }
  }
  return out;
}

/** Writes `damage.bin.gz` of a job and returns its description for job.json. */
export async function writeDamageBank(file: string, side: number, seed: number, lib: DamageLibrary | undefined, mix: DamageMix = DEFAULT_DAMAGE_MIX, count = DAMAGE_BANK_SIZE): Promise<DamageBank> {
  await fs.writeFile(file, await promisify(zlib.gzip)(packDamage(side, count, seed, lib, mix), { level: 6 }));
  return { file: file.split(/[\\/]/).pop() as string, count, side };
}
