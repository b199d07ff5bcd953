// Chroma readouts swept on the shipped colourizer's automatic answers (colorize card, "On the
// shipped network"): per eval photo the network runs once with no points, and each readout (a
// uniform saturation, chroma raised to a power, a chroma-dependent gain) is applied to its ab;
// prints the mean RGB PSNR margin over gray and the mean colourfulness (Hasler & Suesstrunk) per readout.
// Usage: npx esbuild training/recipes/chroma_readout_sweep.ts --bundle --platform=node --format=cjs --packages=external --outfile=node_modules/.cache/chroma_readout_sweep.cjs
//        && node node_modules/.cache/chroma_readout_sweep.cjs   (from the repository root; 2 threads, ~3 min)
import { labPlanes } from '../eval/colorize';
import { psnr, colorfulness } from '../eval/metrics';
import { networkAb, openShippedColorizer, sweepPhotos, SWEEP_SETS } from './colorizeSweep';

/** Chroma (ab in the network's units, Lab / 128) -> the gain applied to a and b. */
type Curve = (c: number) => number;
const curves: Record<string, Curve> = { id: () => 1 };
for (const s of [1.2, 1.4]) curves[`s${s}`] = () => s;
for (const b of [0.25, 0.5, 0.75]) for (const cr of [10, 20, 30]) curves[`pw${b}_${cr}`] = (c) => Math.min(3, Math.pow(Math.max(c * 128, 1e-3) / cr, b));
for (const a of [0.5, 1]) for (const c1 of [20, 40]) curves[`cb${a}_${c1}`] = (c) => 1 + a * Math.min(1, (c * 128) / c1);
(async () => {
  const runner = await openShippedColorizer();
  for (const set of SWEEP_SETS) {
    const sums: Record<string, [number, number]> = {};
    let gray = 0, photos = 0;
    for await (const p of sweepPhotos(set)) {
      gray += p.grayPsnr; photos++;
      const { h, w } = p.ref, n = h * w;
      const { ab } = await networkAb(runner, p, []);
      for (const [k, g] of Object.entries(curves)) {
        const x = Float32Array.from(ab);
        for (let i = 0; i < n; i++) { const a = x[i]!, b = x[n + i]!; const gain = g(Math.hypot(a, b)); x[i] = a * gain; x[n + i] = b * gain; }
        const out = labPlanes(p.luma, x, h, w);
        const s = (sums[k] ??= [0, 0]); s[0] += psnr(out, p.ref); s[1] += colorfulness(out);
      }
    }
    const g = gray / photos;
    console.log(set, 'gray', g.toFixed(2));
    for (const [k, [p, c]] of Object.entries(sums)) console.log(set, k.padEnd(12), (p / photos - g).toFixed(3), (c / photos).toFixed(1));
  }
})();
