// Where a tiled whole-image inference spends its time (an investigation tool, not a bench row):
// the engine's tiler (tiling.ts, sources.ts) runs a manifest model over a seeded photo in memory
// (no file I/O) and the model runs are timed apart from the rest (tile reads, blending, the sink);
// it also prints the tile plan: windows per axis and the pixels the model computes per image pixel.
//   npm run build; node dist/tilingProfile.js <models dir> <model id> [tile=recommended] [width=4000] [height=3000] [threads=2]
// Prints one JSON line.
import '../ortTelemetry'; // first: before any ONNX Runtime session
import path from 'node:path';
import { loadManifest } from '../../models/registry';
import { SessionPool } from '../engine/ort';
import { constantSource, rasterSink, rasterSource } from '../engine/sources';
import { planAxis, runTiled, type TileSource } from '../engine/tiling';
import { addGaussianNoise, grayPhoto, syntheticPhoto } from './photo';

const [dir, id, tileArg, wArg, hArg, threadsArg] = process.argv.slice(2);
if (!dir || !id) {
  process.stderr.write('usage: node dist/tilingProfile.js <models dir> <model id> [tile] [width] [height] [threads]\n');
  process.exit(2);
}
const entry = (await loadManifest(dir)).find((e) => e.id === id);
if (!entry) throw new Error(`${dir}: no model "${id}" in manifest.json`);
const W = Number(wArg ?? 4000), H = Number(hArg ?? 3000), threads = Number(threadsArg ?? 2);
const tile = Number(tileArg ?? 0) || entry.recommendedTile;
const image = entry.inputs.find((i) => i.role === 'image');
if (!image) throw new Error(`${id}: no image input`);
const colour = syntheticPhoto(W, H, 1);
const photo = addGaussianNoise(image.channels === 1 ? grayPhoto(colour) : colour, entry.task === 'denoise' ? 25 : 0, 2);
const buf = { width: W, height: H, channels: photo.channels, data: photo.data };
const inputs: Record<string, TileSource> = {};
for (const i of entry.inputs) inputs[i.name] = i.role === 'noise_level' ? constantSource(25 / 255) : rasterSource(buf, Array.from({ length: i.channels }, (_, c) => Math.min(c, photo.channels - 1)));
const s = entry.scale, C = entry.output.channels;
const out = { width: W * s, height: H * s, channels: C, data: new Uint8Array(W * H * s * s * C) };
const pool = new SessionPool({ provider: 'cpu', threads });
const session = await pool.get(path.join(dir, entry.file));
const px = planAxis(W, tile, entry.receptiveField, entry.multipleOf);
const py = planAxis(H, tile, entry.receptiveField, entry.multipleOf);
const dims = (c: number): number[] => [1, c, py.window, px.window];
for (let k = 0; k < 3; k++) {
  // ORT plans its memory on the first runs of a shape: keep them out of the timing
  const feeds = Object.fromEntries(entry.inputs.map((i) => [i.name, { data: new Float32Array(i.channels * py.window * px.window), dims: dims(i.channels) }]));
  await session.run(feeds, { output: entry.output.name, outputDims: [1, C, py.window * s, px.window * s] });
}
let runMs = 0;
const t0 = performance.now();
await runTiled({
  width: W, height: H, inputs, outChannels: C, scale: s, tile, receptiveField: entry.receptiveField, multipleOf: entry.multipleOf,
  sink: rasterSink(out, Array.from({ length: C }, (_, c) => c)),
  run: async (feeds) => {
    const a = performance.now();
    const any = Object.values(feeds)[0]!;
    const r = await session.run(feeds, { output: entry.output.name, outputDims: [1, C, any.dims[2]! * s, any.dims[3]! * s] });
    runMs += performance.now() - a;
    return r;
  },
});
const seconds = (performance.now() - t0) / 1000;
await pool.releaseAll();
const windows = px.starts.length * py.starts.length;
process.stdout.write(JSON.stringify({
  model: id, width: W, height: H, tile, threads,
  windowsX: px.starts.length, windowsY: py.starts.length, window: `${px.window}x${py.window}`,
  computedPerPixel: Math.round(((windows * px.window * py.window) / (W * H)) * 1000) / 1000,
  seconds: Math.round(seconds * 100) / 100, modelSeconds: Math.round(runMs / 10) / 100, otherSeconds: Math.round((seconds * 1000 - runMs) / 10) / 100,
  msPerWindow: Math.round(runMs / windows), mpPerSec: Math.round(((W * H) / 1e6 / seconds) * 1000) / 1000,
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
}) + '\n');
