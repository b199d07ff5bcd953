// The convention that marks trainable parameters in a model: an initializer whose doc_string is
// exactly "trainable" (set by GraphBuilder.initializer(..., {trainable: true})). Architecture
// parameters are also named "<layer>.weight" / "<layer>.bias". Training finds its parameters with
// trainableInitializers(); everything else in graph.initializer is a constant.
import type { onnx } from './proto';

export const TRAINABLE_DOC = 'trainable';

export function isTrainable(t: onnx.ITensorProto): boolean {
  return t.docString === TRAINABLE_DOC;
}

/** Trainable initializers of a model, in graph order. */
export function trainableInitializers(model: onnx.IModelProto): onnx.ITensorProto[] {
  return (model.graph?.initializer ?? []).filter(isTrainable);
}
