// Measures peak RSS and time of one large file through the in-process engine (the same code the
// engine process runs): `node scripts/... ` is not needed, bundle and run:
//   npx esbuild electron/engine/test/peakRss.ts --bundle --platform=node --format=esm \
//     --packages=external --outfile=/tmp/peakRss.mjs && node /tmp/peakRss.mjs [megapixels] [task]
// Builds a synthetic image of the given size (default 50 MP), a small test model in a temp model
// folder, processes it with tile 512, and prints one JSON line {mp, task, seconds, peakRssMb}.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Engine } from '../engine';
import type { TaskStep } from '../protocol';
import { testColorizer, testDenoiser, testUpsampler, writeModelDir } from './models';

const mp = Number(process.argv[2] ?? 50);
const task = (process.argv[3] ?? 'denoise') as 'denoise' | 'upscale' | 'colorize';
const w = Math.round(Math.sqrt((mp * 1e6 * 3) / 2));
const h = Math.round((mp * 1e6) / w);
const tmp = await mkdtemp(path.join(os.tmpdir(), 'peak-rss-'));
const models = await writeModelDir([testDenoiser(3), testUpsampler(2), testColorizer()]);
try {
  const input = path.join(tmp, 'big.png');
  // smooth noise texture, cheap to encode
  await sharp({ create: { width: w, height: h, channels: 3, background: { r: 120, g: 90, b: 60 }, noise: { type: 'gaussian', mean: 128, sigma: 30 } } })
    .png({ compressionLevel: 1 })
    .toFile(input);
  const baseline = process.memoryUsage().rss;
  const engine = await Engine.create({ provider: 'cpu', threads: os.cpus().length, tile: 512, modelDirs: [models.dir] }, () => undefined);
  const steps: TaskStep[] =
    task === 'upscale' ? [{ task: 'upscale', scale: 2 }] : task === 'colorize' ? [{ task: 'colorize' }] : [{ task: 'denoise', sigma: 'auto' }];
  const t0 = performance.now();
  const res = await engine.process({ jobId: 'big', input, output: path.join(tmp, 'out.png'), steps, format: 'png' });
  const seconds = (performance.now() - t0) / 1000;
  await engine.close();
  console.log(
    JSON.stringify({
      mp: (w * h) / 1e6,
      width: w,
      height: h,
      task,
      seconds: Math.round(seconds * 10) / 10,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      baselineRssMb: Math.round(baseline / 2 ** 20),
      settings: res.steps[0]!.settings,
    }),
  );
} finally {
  await models.cleanup();
  await rm(tmp, { recursive: true, force: true });
}
