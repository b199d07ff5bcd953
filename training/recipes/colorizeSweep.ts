// Shared by the colourizer's sweep scripts (propagation_sweep.ts, chroma_readout_sweep.ts): the
// shipped colourizer, and each reference of an eval set with its L, the gray baseline's PSNR and
// the network's ab for a set of colour points (empty: automatic), as restore eval makes them.
import path from 'node:path';
import { loadManifest } from '../../models/registry';
import { ModelRunner } from '../eval/runner';
import { listImages } from '../data/images';
import { loadPlanar } from '../eval/images';
import { labSplit, type Planar } from '../data/degrade';
import { labPlanes } from '../eval/colorize';
import { psnr } from '../eval/metrics';
import { hintsToWorking, renderHints, type ColorHint } from '../../electron/engine/color/hints';

export const EVAL = process.env.EVAL ?? path.resolve('..', 'shared', 'data', 'eval');
export const SWEEP_SETS = ['CBSD68', 'McMaster'];

export async function openShippedColorizer(): Promise<ModelRunner> {
  const entry = (await loadManifest('models')).find((e) => e.id === 'colorize');
  if (!entry) throw new Error('no colorize model in models/');
  return ModelRunner.open(entry, path.join('models', entry.file), { threads: 2 });
}

export interface SweepPhoto {
  file: string;
  ref: Planar;
  luma: Float32Array;
  /** RGB PSNR of L alone (a = b = 0) against the reference. */
  grayPsnr: number;
}

/** The set's references, each with its L and the gray baseline. */
export async function* sweepPhotos(set: string): AsyncGenerator<SweepPhoto> {
  for (const file of await listImages(path.join(EVAL, set))) {
    const ref = await loadPlanar(file, 3);
    const { luma } = labSplit(ref);
    yield { file, ref, luma, grayPsnr: psnr(labPlanes(luma, null, ref.h, ref.w), ref) };
  }
}

/** The network's ab (working size = the photo) for these colour points, with the rendered point planes. */
export async function networkAb(runner: ModelRunner, p: SweepPhoto, hints: ColorHint[]): Promise<{ ab: Float32Array; planes: ReturnType<typeof renderHints> }> {
  const { h, w } = p.ref;
  const planes = renderHints(hintsToWorking(hints, 1, w, h), w, h);
  const out = await runner.run({ luma: { c: 1, h, w, data: p.luma }, hint_ab: { c: 2, h, w, data: planes.ab }, hint_mask: { c: 1, h, w, data: planes.mask } });
  return { ab: out.data, planes };
}
