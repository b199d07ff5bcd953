// The colour-point spreading (electron/engine/color/propagate.ts) swept on the shipped colourizer:
// per eval photo and count of points from the reference (the restore eval protocol), the network
// runs once and every variant of the propagation options is applied to its output; prints the mean
// RGB PSNR margin over gray per variant (models/cards/colorize.notes.md, "Swept again").
// Usage: npx esbuild training/recipes/propagation_sweep.ts --bundle --platform=node --format=cjs --packages=external --outfile=node_modules/.cache/propagation_sweep.cjs
//        && node node_modules/.cache/propagation_sweep.cjs   (from the repository root; 2 threads, ~5 min)
import path from 'node:path';
import { labPlanes, sampleReferenceHints } from '../eval/colorize';
import { propagatePoints, DEFAULT_PROPAGATION, type PropagateOptions } from '../../electron/engine/color/propagate';
import { psnr } from '../eval/metrics';
import { networkAb, openShippedColorizer, sweepPhotos, SWEEP_SETS } from './colorizeSweep';

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
(async () => {
  const runner = await openShippedColorizer();
  for (const set of SWEEP_SETS) {
    for (const count of [10, 100]) {
      const sums: Record<string, number> = {};
      let gray = 0, photos = 0;
      for await (const p of sweepPhotos(set)) {
        gray += p.grayPsnr; photos++;
        const { h, w } = p.ref;
        const { ab, planes } = await networkAb(runner, p, sampleReferenceHints(p.ref, count, path.basename(p.file)));
        for (const [k, o] of Object.entries(variants)) {
          const x = Float32Array.from(ab);
          if (o) propagatePoints(x, p.luma, w, h, planes, o);
          sums[k] = (sums[k] ?? 0) + psnr(labPlanes(p.luma, x, h, w), p.ref);
        }
      }
      const g = gray / photos;
      console.log(set, count, 'gray', g.toFixed(2), Object.entries(sums).map(([k, v]) => `${k} ${(v / photos - g).toFixed(2)}`).join(' | '));
    }
  }
})();
