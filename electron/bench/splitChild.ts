// The split-scan measurement in a child process of its own (child.ts): one scan split into its
// prints file to file (read, find, fit, cut, write), its time and the process's peak RSS.
import path from 'node:path';
import { splitScan } from '../scan/splitScan';
import { peakRssMb, round } from './stats';
import type { BenchResult } from './types';

export interface SplitSpec {
  kind: 'split';
  name: string;
  input: string;
  outDir: string;
  megapixels: number;
}

export async function measureSplit(spec: SplitSpec): Promise<BenchResult> {
  const t0 = performance.now();
  const result = await splitScan(spec.input, path.join(spec.outDir, 'scan'), { format: 'png', keepMetadata: true, protect: [spec.input] });
  const seconds = (performance.now() - t0) / 1000;
  return { name: spec.name, seconds: round(seconds), mpPerSec: round(spec.megapixels / seconds), prints: result.prints.length, peakRssMb: peakRssMb() };
}
