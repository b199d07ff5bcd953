// The ESRGAN models that the UpscalerJS packages @upscalerjs/esrgan-{slim,medium,thick} ship
// (devDependencies): each package has models/x{2,3,4,8}/model.json (a Keras layers model in the
// TensorFlow.js format) with its weight shards beside it, and a model definition per scale
// (`@upscalerjs/esrgan-<size>/<scale>x`) giving the value range the model expects and returns
// (slim and medium, "rdn": 0-255 in and out; thick, "rrdn": 0-1, plus `setup(tf)`, which
// registers its custom layers MultiplyBeta and PixelShuffle<scale>x). Both are read from the
// installed package itself, and the files are read with fs by a tfjs IO handler.
import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Tfjs from '@tensorflow/tfjs';
import type { Tf } from './tfjsWasm';

export const ESRGAN_SIZES = ['slim', 'medium', 'thick'] as const;
export type EsrganSize = (typeof ESRGAN_SIZES)[number];
export const ESRGAN_SCALES = [2, 4] as const;

/** The parts of an UpscalerJS model definition this module uses. */
interface UpscalerDefinition {
  scale: number;
  modelType: string;
  _internals: { path: string; name: string; version: string };
  inputRange?: [number, number];
  outputRange?: [number, number];
  setup?: (tf: Tf) => void;
}

export interface EsrganModel {
  id: string;
  model: Tfjs.LayersModel;
  scale: number;
  /** Multiply [0, 1] pixels by this for the model; divide its output by outputMax. */
  inputMax: number;
  outputMax: number;
  parameters: number;
  /** e.g. "@upscalerjs/esrgan-thick 1.0.0 models/x4/model.json". */
  source: string;
}

function packageRoot(entry: string, name: string): string {
  for (let dir = path.dirname(entry); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && dir.endsWith(path.join(...name.split('/')))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`${name}: no package folder above ${entry}`);
  }
}

function rangeMax(range: [number, number] | undefined, what: string, name: string): number {
  const r = range ?? [0, 255];
  if (r[0] !== 0 || (r[1] !== 1 && r[1] !== 255)) throw new Error(`${name}: unsupported ${what} [${r.join(', ')}] (expected [0, 1] or [0, 255])`);
  return r[1];
}

/** A tfjs IO handler that reads model.json and its weight shards (in manifest order) from a folder. */
function fileHandler(modelJson: string): Tfjs.io.IOHandler {
  return {
    load: async () => {
      const dir = path.dirname(modelJson);
      const json = JSON.parse(await fs.readFile(modelJson, 'utf8')) as Tfjs.io.ModelJSON;
      const groups = json.weightsManifest ?? [];
      const shards = await Promise.all(groups.flatMap((g) => g.paths).map((p) => fs.readFile(path.join(dir, p))));
      const all = Buffer.concat(shards);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: groups.flatMap((g) => g.weights),
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

export async function loadEsrgan(tf: Tf, size: EsrganSize, scale: number): Promise<EsrganModel> {
  const name = `@upscalerjs/esrgan-${size}`;
  const require = createRequire(import.meta.url);
  let entry: string, loaded: unknown;
  try {
    entry = require.resolve(`${name}/${scale}x`);
    loaded = require(entry);
  } catch (e) {
    throw new Error(`${name} x${scale}: cannot load the package's model definition (devDependency; npm ci): ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  const def = ((loaded as { default?: UpscalerDefinition }).default ?? loaded) as UpscalerDefinition;
  if (def.modelType !== 'layers' || def.scale !== scale) throw new Error(`${name} x${scale}: unexpected definition (modelType ${def.modelType}, scale ${def.scale})`);
  const root = packageRoot(entry, name);
  const modelJson = path.join(root, def._internals.path);
  if (!existsSync(modelJson)) throw new Error(`${modelJson}: missing (the package ships models/x${scale}/model.json)`);
  def.setup?.(tf);
  const model = await tf.loadLayersModel(fileHandler(modelJson));
  return {
    id: `esrgan-${size}-x${scale}`,
    model,
    scale,
    inputMax: rangeMax(def.inputRange, 'input range', name),
    outputMax: rangeMax(def.outputRange, 'output range', name),
    parameters: model.countParams(),
    source: `${name} ${def._internals.version} ${def._internals.path}`,
  };
}
