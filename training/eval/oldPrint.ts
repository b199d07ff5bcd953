// Old-print restoration evaluation (issue 14): eval photos made gray and degraded as old prints
// are (data/oldPrint.ts oldPrintProtocol: blur, correlated film grain, JPEG q75; seeded per image),
// RGB PSNR against the gray photo. A blind old-print model (manifest noiseLevel) runs at its own
// level; a white-noise denoiser is scored at every manual strength of SIGMAS and the best one for
// the set is reported (what a user could reach with the slider).
import path from 'node:path';
import { listImages } from '../data/images';
import { jpegRoundTrip, type Planar } from '../data/degrade';
import { oldPrintProtocol } from '../data/oldPrint';
import { Rng } from '../rng';
import { stepSeed } from '../data/loader';
import { loadPlanar } from './images';
import { to8bit } from './metrics';
import type { ModelRunner } from './runner';
import { scorePairs, type DegradedPair } from './pairs';
import type { CropRequest, EvalRow } from './evaluate';

export { SIGMAS } from './pairs';

/** The seeded generator of the old-print protocol's grain for the i-th photo of a set: every scorer
 * of the protocol (this one, the repair chain's, old_print_decomposition.ts) draws the same grain. */
export function protocolGrainRng(i: number): Rng {
  return new Rng(stepSeed(3000, i));
}

export async function evalOldPrint(runner: ModelRunner | null, setDir: string, crops?: CropRequest): Promise<EvalRow[]> {
  const files = await listImages(setDir);
  if (files.length === 0) throw new Error(`${setDir}: no images`);
  // at the model's channel count: a gray model gets the gray photo itself (the same luma as made gray in colour)
  const channels = runner?.entry.inputs.find((x) => x.role === 'image')?.channels === 1 ? 1 : 3;
  async function* pairs(): AsyncGenerator<DegradedPair> {
    for (const [i, f] of files.entries()) {
      const clean = await loadPlanar(f, channels);
      const p = oldPrintProtocol(clean, protocolGrainRng(i));
      const input: Planar = { ...p.input, data: to8bit((await jpegRoundTrip(p.input, p.jpeg)).data) };
      yield { name: path.parse(f).name, image: f, input, target: p.target };
    }
  }
  const protocol = 'old print: gray, blur 0.8, grain 1px sd 0.05, JPEG 75';
  return scorePairs(runner, path.basename(setDir), protocol, pairs(), crops && { ...crops, prefix: 'old-print', label: 'old-print input' });
}
