// Small random models for the engine's tests, built with models/onnx's GraphBuilder and written
// to a temporary folder with a manifest: a DnCNN-like residual denoiser (image + noise_level), a
// small U-Net (two stride-2 levels, multipleOf 4), sub-pixel x2/x4 upsamplers, a colorizer
// (luma + colour points -> ab) and an inpainter (image + mask). Weights are seeded and He-scaled, so outputs are
// deterministic and non-trivial; they are not trained.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GraphBuilder, type Value } from '../../../models/onnx/graph';
import { serializeModel } from '../../../models/onnx/serialize';
import type { ManifestEntry, TaskName } from '../../../models/manifest';
import type { ArchitectureResult } from '../../../models/architectures/types';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

class Net {
  readonly g: GraphBuilder;
  private readonly rand: () => number;
  private n = 0;
  constructor(name: string, seed: number) {
    this.g = new GraphBuilder(name);
    this.rand = rng(seed);
  }
  conv(x: Value, cin: number, cout: number, k = 3, gain = 1): Value {
    const std = gain * Math.sqrt(2 / (cin * k * k)) * Math.sqrt(12);
    const w = Float32Array.from({ length: cout * cin * k * k }, () => this.rand() * std);
    const b = Float32Array.from({ length: cout }, () => this.rand() * 0.1);
    const i = this.n++;
    return this.g.conv(
      x,
      this.g.initializer(`w${i}`, w, [cout, cin, k, k], { trainable: true }),
      this.g.initializer(`b${i}`, b, [cout], { trainable: true }),
      { pads: [k >> 1, k >> 1, k >> 1, k >> 1] },
    );
  }
}

export interface TestModel {
  entry: ManifestEntry;
  bytes: Uint8Array;
}

function entry(partial: Partial<ManifestEntry> & Pick<ManifestEntry, 'id' | 'task' | 'inputs' | 'output' | 'receptiveField'>, bytes: Uint8Array): ManifestEntry {
  return {
    file: `${partial.id}.onnx`,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    parameters: 0,
    architecture: 'test',
    range: [0, 1],
    scale: 1,
    multipleOf: 1,
    recommendedTile: 64,
    evaluation: [],
    ...partial,
  };
}

/** DnCNN-like: concat(image, noise) -> depth convs -> residual subtracted from the image. */
export function testDenoiser(channels: 1 | 3, depth = 4, seed = 1): TestModel {
  const net = new Net('dn', seed);
  const g = net.g;
  const img = g.input('image', 'float32', [1, channels, 'H', 'W']);
  const sigma = g.input('noise_level', 'float32', [1, 1, 'H', 'W']);
  let x = g.concat([img, sigma], 1);
  x = g.relu(net.conv(x, channels + 1, 8));
  for (let i = 0; i < depth - 2; i++) x = g.relu(net.conv(x, 8, 8));
  x = net.conv(x, 8, channels, 3, 0.2);
  g.output(g.sub(img, x), 'denoised');
  const bytes = serializeModel(g.build());
  return {
    bytes,
    entry: entry(
      {
        id: `test-denoise-${channels === 1 ? 'gray' : 'color'}`,
        task: 'denoise',
        inputs: [
          { name: 'image', role: 'image', channels },
          { name: 'noise_level', role: 'noise_level', channels: 1 },
        ],
        output: { name: 'denoised', role: 'image', channels },
        receptiveField: 2 * depth + 1,
        sigmaRange: [0, 75],
      },
      bytes,
    ),
  };
}

/** Small U-Net: 2 average-pool levels, nearest upsampling, skip concats (multipleOf 4). */
export function testUnet(seed = 2): TestModel {
  const net = new Net('unet', seed);
  const g = net.g;
  const img = g.input('image', 'float32', [1, 3, 'H', 'W']);
  const e0 = g.relu(net.conv(img, 3, 6));
  const e1 = g.relu(net.conv(g.averagePool(e0, { kernel: [2, 2], strides: [2, 2] }), 6, 8));
  const e2 = g.relu(net.conv(g.averagePool(e1, { kernel: [2, 2], strides: [2, 2] }), 8, 8));
  const d1 = g.relu(net.conv(g.concat([g.resize(e2, { scales: [1, 1, 2, 2] }), e1], 1), 16, 8));
  const d0 = net.conv(g.concat([g.resize(d1, { scales: [1, 1, 2, 2] }), e0], 1), 14, 3, 3, 0.3);
  g.output(g.add(img, d0), 'restored');
  const bytes = serializeModel(g.build());
  return {
    bytes,
    entry: entry(
      {
        id: 'test-unet',
        task: 'denoise',
        architecture: 'unet',
        inputs: [{ name: 'image', role: 'image', channels: 3 }],
        output: { name: 'restored', role: 'image', channels: 3 },
        receptiveField: 44,
        multipleOf: 4,
      },
      bytes,
    ),
  };
}

/** Sub-pixel upsampler: conv -> relu -> conv to C*s*s -> DepthToSpace(s), plus nearest-upsampled input. */
export function testUpsampler(scale: 2 | 4, seed = 3): TestModel {
  const net = new Net(`up${scale}`, seed);
  const g = net.g;
  const img = g.input('image', 'float32', [1, 3, 'H', 'W']);
  const f = g.relu(net.conv(img, 3, 8));
  const r = g.depthToSpace(net.conv(f, 8, 3 * scale * scale, 3, 0.2), scale, 'CRD');
  g.output(g.add(g.resize(img, { scales: [1, 1, scale, scale] }), r), 'upscaled');
  const bytes = serializeModel(g.build());
  return {
    bytes,
    entry: entry(
      {
        id: `test-upscale-x${scale}`,
        task: 'upscale',
        inputs: [{ name: 'image', role: 'image', channels: 3 }],
        output: { name: 'upscaled', role: 'image', channels: 3 },
        receptiveField: 5,
        scale,
      },
      bytes,
    ),
  };
}

/** Colorizer: luma + colour points (hint_ab, hint_mask) -> ab (tanh-bounded); the points' ab is
 * added where the mask is set, so a point visibly changes the colour around it. */
export function testColorizer(seed = 4): TestModel {
  const net = new Net('col', seed);
  const g = net.g;
  const l = g.input('luma', 'float32', [1, 1, 'H', 'W']);
  const hab = g.input('hint_ab', 'float32', [1, 2, 'H', 'W']);
  const hm = g.input('hint_mask', 'float32', [1, 1, 'H', 'W']);
  const x = g.concat([l, hab, hm], 1);
  const ab = g.tanh(g.add(net.conv(g.relu(net.conv(x, 4, 8)), 8, 2), g.mul(hab, 4)));
  g.output(g.mul(ab, 0.3), 'ab');
  const bytes = serializeModel(g.build());
  return {
    bytes,
    entry: entry(
      {
        id: 'test-colorize',
        task: 'colorize',
        inputs: [{ name: 'luma', role: 'luma', channels: 1 }, { name: 'hint_ab', role: 'hint_ab', channels: 2 }, { name: 'hint_mask', role: 'hint_mask', channels: 1 }],
        output: { name: 'ab', role: 'ab', channels: 2 },
        receptiveField: 5,
        workingSize: 64,
      },
      bytes,
    ),
  };
}

/** Inpainter: concat(image, mask) -> convs -> image. */
export function testInpainter(seed = 5): TestModel {
  const net = new Net('inp', seed);
  const g = net.g;
  const img = g.input('image', 'float32', [1, 3, 'H', 'W']);
  const mask = g.input('mask', 'float32', [1, 1, 'H', 'W']);
  const x = g.relu(net.conv(g.concat([img, mask], 1), 4, 8));
  g.output(g.sigmoid(net.conv(x, 8, 3)), 'filled');
  const bytes = serializeModel(g.build());
  return {
    bytes,
    entry: entry(
      {
        id: 'test-inpaint',
        task: 'inpaint',
        inputs: [
          { name: 'image', role: 'image', channels: 3 },
          { name: 'mask', role: 'mask', channels: 1 },
        ],
        output: { name: 'filled', role: 'image', channels: 3 },
        receptiveField: 5,
      },
      bytes,
    ),
  };
}

/** Wraps a models/architectures result (unet, dncnn, subpixelUpsampler) as a test model. */
export function fromArchitecture(id: string, task: TaskName, arch: ArchitectureResult, scale = 1): TestModel {
  const bytes = serializeModel(arch.model);
  return {
    bytes,
    entry: entry(
      {
        id,
        task,
        architecture: id,
        inputs: arch.inputs,
        output: arch.output,
        receptiveField: arch.receptiveField,
        multipleOf: arch.multipleOf,
        parameters: arch.parameters,
        scale,
      },
      bytes,
    ),
  };
}

export interface ModelDir {
  dir: string;
  entries: ManifestEntry[];
  pathOf(id: string): string;
  cleanup(): Promise<void>;
}

/** Writes models and manifest.json to a fresh temp folder. */
export async function writeModelDir(models: TestModel[]): Promise<ModelDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'engine-models-'));
  for (const m of models) await writeFile(path.join(dir, m.entry.file), m.bytes);
  const entries = models.map((m) => m.entry);
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ version: 1, models: entries }, null, 2));
  return {
    dir,
    entries,
    pathOf: (id) => path.join(dir, entries.find((e) => e.id === id)!.file),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
