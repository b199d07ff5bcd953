// Repair-chain evaluation (issue 14, "the chain"): each photo of a set damaged as a protocol says,
// written as a file, restored by the caller with the real chain (`restore repair`: find damage,
// fill it, reduce grain; no mask given), and the output file scored against the clean photo (RGB
// or gray PSNR, 8-bit). Protocols, seeded per image as their single-model counterparts, so the
// same damage is scored here and there:
//  - scratches: 1-5 thin scratches, 1-3 px, opacity 0.6-1, bright or dark (detect.ts, seed 2000),
//    saved as PNG;
//  - old-print: made gray, blurred, correlated film grain, saved as JPEG q75 (oldPrint.ts, seed 3000).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { listImages } from '../data/images';
import { toInterleaved8, type Planar } from '../data/degrade';
import { oldPrintProtocol } from '../data/oldPrint';
import { stepSeed } from '../data/loader';
import { Rng } from '../rng';
import { loadPlanar } from './images';
import { psnr } from './metrics';
import { scratchDamage } from './detect';
import { writeComparison } from './crops';
import { protocolGrainRng } from './oldPrint';
import type { CropRequest, EvalRow } from './evaluate';

export const REPAIR_PROTOCOLS = ['scratches', 'old-print'] as const;
export type RepairProtocol = (typeof REPAIR_PROTOCOLS)[number];

const PROTOCOL_NAMES: Record<RepairProtocol, string> = {
  'scratches': 'chain, thin scratches 1-3 px, no mask given',
  'old-print': 'chain, old print: gray, blur 0.8, grain 1px sd 0.05, JPEG 75',
};

/** One damaged photo written for the chain: its file, the clean photo and the damaged one as read back. */
export interface RepairCase { name: string; image: string; file: string; target: Planar; input: Planar }

/** Writes the protocol's damaged inputs of every photo of `setDir` into `dir` (gray photos stay one channel). */
export async function writeRepairInputs(setDir: string, protocol: RepairProtocol, dir: string): Promise<RepairCase[]> {
  const files = await listImages(setDir);
  if (files.length === 0) throw new Error(`${setDir}: no images`);
  await fs.mkdir(dir, { recursive: true });
  const cases: RepairCase[] = [];
  for (const [i, f] of files.entries()) {
    const clean = await loadPlanar(f);
    const name = path.parse(f).name;
    let target = clean, damaged: Planar, file: string;
    const raw = { raw: { width: clean.w, height: clean.h, channels: clean.c as 1 | 3 } };
    if (protocol === 'scratches') {
      damaged = scratchDamage(clean, new Rng(stepSeed(2000, i))).damaged;
      file = path.join(dir, `${name}.png`);
      await sharp(toInterleaved8(damaged), raw).png().toFile(file);
    } else {
      const p = oldPrintProtocol(clean, protocolGrainRng(i));
      target = p.target;
      file = path.join(dir, `${name}.jpg`);
      await sharp(toInterleaved8(p.input), raw).jpeg({ quality: p.jpeg, chromaSubsampling: '4:2:0' }).toFile(file);
    }
    cases.push({ name, image: f, file, target, input: await loadPlanar(file, clean.c as 1 | 3) });
  }
  return cases;
}

/** Rows for the damaged input and the chain's outputs (`<outDir>/<name>.png`); a missing output is an error. */
export async function scoreRepair(set: string, protocol: RepairProtocol, cases: RepairCase[], outDir: string, method: string, crops?: CropRequest): Promise<EvalRow[]> {
  const input: number[] = [], chain: number[] = [];
  if (crops) await fs.mkdir(crops.dir, { recursive: true });
  for (const [i, c] of cases.entries()) {
    const file = path.join(outDir, `${c.name}.png`);
    const out = await loadPlanar(file, c.target.c as 1 | 3).catch((e: Error) => { throw new Error(`${c.image}: the chain wrote no output (${e.message.split('\n')[0]})`); });
    input.push(psnr(c.input, c.target));
    chain.push(psnr(out, c.target));
    if (crops && i < crops.count) {
      const crop = path.join(crops.dir, `repair-${protocol}-${set}-${c.name}.png`);
      const panels = [{ label: 'damaged', image: c.input }, { label: 'repaired', image: out }];
      const at = await writeComparison(crop, c.target, panels);
      crops.onCrop?.({ file: crop, image: c.image, ...at, panels: ['reference', 'damaged', method], psnr: [input[i]!, chain[i]!] });
    }
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const protocolName = PROTOCOL_NAMES[protocol];
  return [
    { set, method: 'damaged input', protocol: protocolName, psnr: mean(input), images: cases.length },
    { set, method, protocol: protocolName, psnr: mean(chain), images: cases.length },
  ];
}
