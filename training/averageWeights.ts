// Weight averaging of two models of one graph (fine-tunes of a common base): every float
// initializer becomes alpha * A + (1 - alpha) * B, the graph, names and metadata stay A's. Two
// fine-tunes that pulled one base toward different noise ranges average into a model between
// them (denoise-gray stage 3: training/recipes/average_weights.ts).
import type { onnx } from '../models/onnx/proto';
import { readTensor, tensorDims } from '../models/onnx/tensor';
import { exportWithWeights } from './step/export';

export function averageWeights(a: onnx.IModelProto, b: onnx.IModelProto, alpha: number): onnx.IModelProto {
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`alpha must lie in 0-1, got ${alpha}`);
  const others = new Map((b.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  const weights = new Map<string, Float32Array>();
  for (const t of a.graph?.initializer ?? []) {
    const x = readTensor(t);
    if (!(x instanceof Float32Array)) continue;
    const u = others.get(t.name ?? '');
    const y = u ? readTensor(u) : undefined;
    if (!u || !(y instanceof Float32Array) || tensorDims(u).join('x') !== tensorDims(t).join('x')) {
      throw new Error(`the models differ at ${t.name}: not two versions of one graph`);
    }
    weights.set(t.name ?? '', x.map((v, i) => alpha * v + (1 - alpha) * (y[i] as number)));
  }
  return exportWithWeights(a, weights);
}
