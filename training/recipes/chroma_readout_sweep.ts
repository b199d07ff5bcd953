// Chroma readouts swept on the shipped colourizer's automatic answers (colorize card, "On the
// shipped network"): per eval photo the network runs once with no points, and each readout (a
// uniform saturation, chroma raised to a power, a chroma-dependent gain) is applied to its ab;
// prints the mean RGB PSNR margin over gray and the mean colourfulness (Hasler & Suesstrunk) per readout.
// Usage: npx esbuild training/recipes/chroma_readout_sweep.ts --bundle --platform=node --format=cjs --packages=external --outfile=node_modules/.cache/chroma_readout_sweep.cjs
//        && node node_modules/.cache/chroma_readout_sweep.cjs   (from the repository root; 2 threads, ~3 min)
import path from 'node:path';
import { loadManifest } from '../../models/registry';
import { ModelRunner } from '../eval/runner';
import { listImages } from '../data/images';
import { loadPlanar } from '../eval/images';
import { labSplit } from '../data/degrade';
import { labPlanes } from '../eval/colorize';
import { psnr, colorfulness } from '../eval/metrics';

/** Chroma (ab in the network's units, Lab / 128) -> the gain applied to a and b. */
type Curve = (c: number) => number;
const curves: Record<string, Curve> = { id: () => 1 };
for (const s of [1.2, 1.4]) curves[`s${s}`] = () => s;
for (const b of [0.25, 0.5, 0.75]) for (const cr of [10, 20, 30]) curves[`pw${b}_${cr}`] = (c) => Math.min(3, Math.pow(Math.max(c * 128, 1e-3) / cr, b));
for (const a of [0.5, 1]) for (const c1 of [20, 40]) curves[`cb${a}_${c1}`] = (c) => 1 + a * Math.min(1, (c * 128) / c1);
const EVAL = process.env.EVAL ?? path.resolve('..', 'shared', 'data', 'eval');
(async () => {
  const entry = (await loadManifest('models')).find((e) => e.id === 'colorize')!;
  const runner = await ModelRunner.open(entry, path.join('models', entry.file), { threads: 2 });
  for (const set of ['CBSD68', 'McMaster']) {
    const files = await listImages(path.join(EVAL, set));
    const sums: Record<string, [number, number]> = {};
    let gray = 0;
    for (const f of files) {
      const ref = await loadPlanar(f, 3);
      const { luma } = labSplit(ref);
      const { h, w } = ref, n = h * w;
      gray += psnr(labPlanes(luma, null, h, w), ref);
      const z = new Float32Array(2 * n), m = new Float32Array(n);
      const ab = await runner.run({ luma: { c: 1, h, w, data: luma }, hint_ab: { c: 2, h, w, data: z }, hint_mask: { c: 1, h, w, data: m } });
      for (const [k, g] of Object.entries(curves)) {
        const x = Float32Array.from(ab.data);
        for (let i = 0; i < n; i++) { const a = x[i]!, b = x[n + i]!; const gg = g(Math.hypot(a, b)); x[i] = a * gg; x[n + i] = b * gg; }
        const out = labPlanes(luma, x, h, w);
        const s = (sums[k] ??= [0, 0]); s[0] += psnr(out, ref); s[1] += colorfulness(out);
      }
    }
    const g = gray / files.length;
    console.log(set, 'gray', g.toFixed(2));
    for (const [k, [p, c]] of Object.entries(sums)) console.log(set, k.padEnd(12), (p / files.length - g).toFixed(3), (c / files.length).toFixed(1));
  }
})();
