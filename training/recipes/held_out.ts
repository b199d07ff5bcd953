// Command-line wrapper of splitFiles (training/data/images.ts): links a training run's held-out
// photos (the same deterministic split `restore train` makes from --data and --seed) into a folder,
// e.g. the calibration set of a detector's thresholds.
// Usage: npx esbuild training/recipes/held_out.ts --bundle --platform=node --format=esm --packages=external --outfile=node_modules/.cache/held_out.mjs
//        && node node_modules/.cache/held_out.mjs <data folder> <seed> <out folder>
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { listImages, splitFiles } from '../data/images';

async function main(): Promise<void> {
  const [data, seed, out] = process.argv.slice(2);
  if (!data || !seed || !out) throw new Error('usage: held_out <data folder> <seed> <out folder>');
  const { val } = splitFiles(await listImages(data), data, 0.1, Number(seed), 2);
  await fs.mkdir(out, { recursive: true });
  for (const f of val) {
    const to = path.join(out, path.relative(data, f).split(path.sep).join('__'));
    await fs.link(f, to).catch(async () => fs.copyFile(f, to));
  }
  process.stdout.write(`${val.length} held-out photos -> ${out}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`held_out: ${(e as Error).message}\n`);
  process.exit(1);
});
