// Export of trained weights as an inference model: the forward model with its trainable
// initializers' data replaced (names, shapes and the trainable marks kept). The input model object
// is not modified.
import type { onnx } from '../../models/onnx/proto';
import { makeTensor, tensorDims } from '../../models/onnx/tensor';

export function exportWithWeights(forward: onnx.IModelProto, weights: Map<string, Float32Array>, metadata: Record<string, string> = {}): onnx.IModelProto {
  const g = forward.graph ?? {};
  const initializer = (g.initializer ?? []).map((t) => {
    const w = weights.get(t.name ?? '');
    if (!w) return t;
    const dims = tensorDims(t);
    return makeTensor(t.name ?? '', w, dims, t.docString ?? undefined);
  });
  const meta = [...(forward.metadataProps ?? []).filter((e) => !(e.key && e.key in metadata)), ...Object.entries(metadata).map(([key, value]) => ({ key, value }))];
  return { ...forward, graph: { ...g, initializer }, metadataProps: meta };
}
