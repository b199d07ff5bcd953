// What every architecture function returns, and options they share.
import type { z } from 'zod';
import type { ModelInput, ModelOutput } from '../manifest';
import type { onnx } from '../onnx/proto';

export type ModelInputSpec = z.infer<typeof ModelInput>;
export type ModelOutputSpec = z.infer<typeof ModelOutput>;

export interface ArchitectureResult {
  model: onnx.IModelProto;
  /** Number of trainable scalars. */
  parameters: number;
  /** Diameter in input pixels (see models/onnx/receptiveField.ts). */
  receptiveField: number;
  /** Input height and width must be multiples of this. */
  multipleOf: number;
  inputs: ModelInputSpec[];
  output: ModelOutputSpec;
}

export interface CommonOptions {
  /** Seed of the weight initialisation. */
  seed: number;
  /** Trained weights by initializer name; replaces the seeded init (export of a trained model). */
  weights?: Map<string, Float32Array>;
  /** Graph name (default: the architecture's name). */
  name?: string;
}
