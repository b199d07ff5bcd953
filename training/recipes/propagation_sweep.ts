// The colour-point spreading (electron/engine/color/propagate.ts) swept on the shipped colourizer:
// per eval photo and count of points from the reference (the restore eval protocol), the network
// runs once and every variant of the propagation options is applied to its output; prints the mean
// RGB PSNR margin over gray per variant (models/cards/colorize.notes.md, "Swept again").
// Usage: npx esbuild training/recipes/propagation_sweep.ts --bundle --platform=node --format=cjs --packages=external --outfile=node_modules/.cache/propagation_sweep.cjs
//        && node node_modules/.cache/propagation_sweep.cjs   (from the repository root; 2 threads, ~5 min)
import path from 'node:path';
import { loadManifest } from '../../models/registry';
import { ModelRunner } from '../eval/runner';
import { listImages } from '../data/images';
import { loadPlanar } from '../eval/images';
import { labSplit } from '../data/degrade';
import { labPlanes, sampleReferenceHints } from '../eval/colorize';
import { hintsToWorking, renderHints } from '../../electron/engine/color/hints';
import { propagatePoints, DEFAULT_PROPAGATION, type PropagateOptions } from '../../electron/engine/color/propagate';
import { psnr } from '../eval/metrics';

const variants: Record<string, PropagateOptions | null> = {
  none: null,
  default: DEFAULT_PROPAGATION,
  r4: { ...DEFAULT_PROPAGATION, sigmaR: 4 },
  r9: { ...DEFAULT_PROPAGATION, sigmaR: 9 },
  r12: { ...DEFAULT_PROPAGATION, sigmaR: 12 },
  s128: { ...DEFAULT_PROPAGATION, sigmaS: 128 },
  s512: { ...DEFAULT_PROPAGATION, sigmaS: 512 },
  p03: { ...DEFAULT_PROPAGATION, prior: 0.3 },
  p3: { ...DEFAULT_PROPAGATION, prior: 3 },
  p10: { ...DEFAULT_PROPAGATION, prior: 10 },
  sm1: { ...DEFAULT_PROPAGATION, smooth: 1 },
  sm5: { ...DEFAULT_PROPAGATION, smooth: 5 },
};
const EVAL = process.env.EVAL ?? path.resolve('..', 'shared', 'data', 'eval');

(async () => {
  const entry = (await loadManifest('models')).find((e) => e.id === 'colorize')!;
  const runner = await ModelRunner.open(entry, path.join('models', entry.file), { threads: 2 });
  for (const set of ['CBSD68', 'McMaster']) {
    const files = await listImages(path.join(EVAL, set));
    for (const count of [10, 100]) {
      const sums: Record<string, number> = {};
      let gray = 0;
      for (const f of files) {
        const ref = await loadPlanar(f, 3);
        const { luma } = labSplit(ref);
        gray += psnr(labPlanes(luma, null, ref.h, ref.w), ref);
        const { h, w } = ref;
        const planes = renderHints(hintsToWorking(sampleReferenceHints(ref, count, path.basename(f)), 1, w, h), w, h);
        const ab = await runner.run({ luma: { c: 1, h, w, data: luma }, hint_ab: { c: 2, h, w, data: planes.ab }, hint_mask: { c: 1, h, w, data: planes.mask } });
        for (const [k, o] of Object.entries(variants)) {
          const x = Float32Array.from(ab.data);
          if (o) propagatePoints(x, luma, w, h, planes, o);
          sums[k] = (sums[k] ?? 0) + psnr(labPlanes(luma, x, h, w), ref);
        }
      }
      const g = gray / files.length;
      console.log(set, count, 'gray', g.toFixed(2), Object.entries(sums).map(([k, v]) => `${k} ${(v / files.length - g).toFixed(2)}`).join(' | '));
    }
  }
})();
