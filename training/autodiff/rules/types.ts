// The contract between the differentiator and the per-operator gradient rules: what a rule sees of
// its forward node (attributes, static shapes, the gradients of its outputs) and what it returns
// (one gradient value name per input, or null where the input needs none or gets none).
import type { onnx } from '../../../models/onnx/proto';
import type { DecodedAttr } from '../../../models/onnx/attributes';
import type { Emitter } from '../emitter';

export interface GradContext {
  node: onnx.INodeProto;
  attrs: Map<string, DecodedAttr>;
  /** Forward input names ('' for an omitted optional input). */
  inputs: string[];
  outputs: string[];
  /** Gradient of each forward output, or null when the loss does not depend on it. */
  gradOut: (string | null)[];
  /** Which inputs the caller wants a gradient for. */
  needs: boolean[];
  /** Static shape of a forward value. */
  shape(name: string): number[];
  /** Integer values of a shape operand (initializer, Constant or computed), or a clear error. */
  ints(name: string): number[];
  /** Integer values when known, else null (optional operands). */
  intsOrNull(name: string): number[] | null;
  /** Float values of a small constant operand (Clip bounds, Resize scales), or null. */
  floats(name: string): number[] | null;
  emit: Emitter;
  opset: number;
  /** Options that select among equivalent formulations (see ../options.ts). */
  options: GradOptions;
}

export type WeightGradFormulation = 'conv' | 'taps' | 'tapmm' | 'auto';

export interface GradOptions {
  /** How Conv weight gradients are expressed (the expensive part of a training step). */
  weightGrad: WeightGradFormulation;
  /** Conv input gradient as a Conv with flipped weights where possible (faster than ConvTranspose on CPU). */
  inputGradAsConv: boolean;
}

export const DEFAULT_GRAD_OPTIONS: GradOptions = { weightGrad: 'auto', inputGradAsConv: true };

export type GradRule = (c: GradContext) => (string | null)[] | Promise<(string | null)[]>;

/** Error raised for a node that cannot be differentiated. */
export class AutodiffError extends Error {
  constructor(node: onnx.INodeProto, reason: string) {
    super(`node "${node.name || (node.output ?? [])[0] || '?'}" (${node.opType}): ${reason}`);
    this.name = 'AutodiffError';
  }
}

/** Attribute helpers with defaults. */
export function attrInt(c: GradContext, name: string, dflt: number): number {
  const v = c.attrs.get(name);
  return typeof v === 'number' ? v : dflt;
}

export function attrInts(c: GradContext, name: string, dflt: number[]): number[] {
  const v = c.attrs.get(name);
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : dflt;
}

export function attrFloat(c: GradContext, name: string, dflt: number): number {
  const v = c.attrs.get(name);
  return typeof v === 'number' ? v : dflt;
}

export function attrString(c: GradContext, name: string, dflt: string): string {
  const v = c.attrs.get(name);
  return typeof v === 'string' ? v : dflt;
}
