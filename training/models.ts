// The model a training run starts from: a fresh architecture per task (models/architectures), or a
// base model file from the registry (fine-tuning). For imported models without trainable marks,
// the float weights and biases of Conv, ConvTranspose and PRelu nodes are trained.
import { promises as fs } from 'node:fs';
import type { onnx } from '../models/onnx/proto';
import { parseModel } from '../models/onnx/serialize';
import { trainableInitializers, TRAINABLE_DOC } from '../models/onnx/trainable';
import { dncnn } from '../models/architectures/dncnn';
import { unet } from '../models/architectures/unet';
import { subpixelUpsampler } from '../models/architectures/subpixel';
import { colorizer } from '../models/architectures/colorizer';
import { inpainter } from '../models/architectures/inpainter';
import { damageDetector } from '../models/architectures/damageDetector';
import type { ArchitectureResult } from '../models/architectures/types';
import type { ManifestEntry, OutputRole, TaskName } from '../models/manifest';
import type { ModelInputRef } from './data/tasks';

export interface StartModel {
  model: onnx.IModelProto;
  architecture: string;
  inputs: ModelInputRef[];
  output: { name: string; role: OutputRole; channels: number };
  parameters: number;
  receptiveField: number;
  multipleOf: number;
  scale: number;
  /** The base entry when fine-tuning. */
  base?: ManifestEntry;
}

export interface ArchChoice {
  arch?: 'dncnn' | 'unet' | 'subpixel' | 'colorizer' | 'inpainter' | 'detector';
  width?: number;
  depth?: number;
  /** U-Net: explicit feature widths per level, finest first (overrides width: [w, 2w, 4w]). */
  widths?: number[];
  /** U-Net: 3x3 convs per level (default 2). */
  convs?: number;
  /** U-Net: downsampling by strided conv (default) or pixel-unshuffle + conv. */
  down?: 'stride' | 'pixelunshuffle';
  channels: 1 | 3;
  scale?: number;
  seed: number;
}

/** The U-Net shape of a choice: explicit widths, else [w, 2w, 4w] from width (default 32). */
function unetShape(c: ArchChoice): { widths: number[]; convsPerLevel?: number; down?: 'stride' | 'pixelunshuffle' } {
  const w = c.width ?? 32;
  return { widths: c.widths ?? [w, 2 * w, 4 * w], convsPerLevel: c.convs, down: c.down };
}

function fromArch(r: ArchitectureResult, architecture: string, scale: number): StartModel {
  return {
    model: r.model, architecture, inputs: r.inputs, output: r.output, parameters: r.parameters,
    receptiveField: r.receptiveField, multipleOf: r.multipleOf, scale,
  };
}

/** A freshly initialised model for the task. */
export function freshModel(task: TaskName, c: ArchChoice): StartModel {
  const seed = c.seed;
  switch (task) {
    case 'denoise':
      if (c.arch === 'unet') return fromArch(unet({ inChannels: c.channels, outChannels: c.channels, ...unetShape(c), residual: true, extraInputs: [{ name: 'noise_level', role: 'noise_level', channels: 1 }], seed }), 'unet', 1);
      return fromArch(dncnn({ channels: c.channels, depth: c.depth ?? 17, width: c.width ?? 64, noiseLevelInput: true, seed }), 'dncnn', 1);
    case 'upscale': {
      const scale = c.scale === 4 ? 4 : 2;
      return fromArch(subpixelUpsampler({ scale, width: c.width ?? 32, depth: c.depth ?? 4, channels: c.channels, seed }), 'subpixel', scale);
    }
    case 'colorize': {
      // Default: the guided colorizer (L + colour points); --arch unet keeps the plain L -> ab U-Net.
      if (c.arch !== 'unet') return fromArch(colorizer({ widths: c.widths, seed }), 'colorizer', 1);
      return fromArch(unet({ inChannels: 1, outChannels: 2, ...unetShape(c), input: { name: 'luma', role: 'luma' }, output: { name: 'ab', role: 'ab' }, outputActivation: 'tanh', seed }), 'unet', 1);
    }
    case 'inpaint': {
      // Default: the half-resolution inpainter with context convs; --arch unet keeps the plain U-Net.
      if (c.arch !== 'unet') return fromArch(inpainter({ channels: c.channels, widths: c.widths, seed }), 'inpainter', 1);
      return fromArch(unet({ inChannels: c.channels, outChannels: c.channels, ...unetShape(c), residual: true, extraInputs: [{ name: 'mask', role: 'mask', channels: 1 }], seed }), 'unet', 1);
    }
    case 'detect-damage':
      return fromArch(damageDetector({ widths: c.widths, seed }), 'detector', 1);
  }
}

/** Marks conv/prelu parameters trainable in a model that carries no marks (imported models). */
function ensureTrainable(model: onnx.IModelProto): onnx.IModelProto {
  if (trainableInitializers(model).length > 0) return model;
  const g = model.graph ?? {};
  const wanted = new Set<string>();
  for (const n of g.node ?? []) {
    if (n.opType === 'Conv' || n.opType === 'ConvTranspose') (n.input ?? []).slice(1, 3).forEach((i) => wanted.add(i));
    if (n.opType === 'PRelu') wanted.add((n.input ?? [])[1] ?? '');
  }
  const initializer = (g.initializer ?? []).map((t) => (wanted.has(t.name ?? '') && t.dataType === 1 ? { ...t, docString: TRAINABLE_DOC } : t));
  return { ...model, graph: { ...g, initializer } };
}

/** The base model of a fine-tuning run (file checked against its manifest entry by the caller). */
export async function baseModel(entry: ManifestEntry, file: string): Promise<StartModel> {
  const bytes = await fs.readFile(file);
  const model = ensureTrainable(parseModel(bytes, file));
  if (trainableInitializers(model).length === 0) throw new Error(`${file}: no trainable parameters found`);
  const parameters = trainableInitializers(model).reduce((a, t) => a + (t.dims ?? []).reduce<number>((x, d) => x * Number(d), 1), 0);
  return {
    model, architecture: entry.architecture, inputs: entry.inputs, output: entry.output, parameters,
    receptiveField: entry.receptiveField, multipleOf: entry.multipleOf, scale: entry.scale, base: entry,
  };
}
