// The number of trained parameters of an ONNX model file: the elements of its graph's floating-point
// initializers (weights and biases; integer initializers are shapes and indices, not parameters).
// Imported models get it in their manifest entry, so the Models view shows their real size.
import { promises as fs } from 'node:fs';
import { onnx } from '../../models/onnx/proto';
import { tensorDims } from '../../models/onnx/tensor';

const FLOAT_TYPES = new Set<number>([onnx.TensorProto.DataType.FLOAT, onnx.TensorProto.DataType.FLOAT16, onnx.TensorProto.DataType.DOUBLE, onnx.TensorProto.DataType.BFLOAT16]);

export async function countParameters(file: string): Promise<number> {
  const model = onnx.ModelProto.decode(await fs.readFile(file));
  let total = 0;
  for (const t of model.graph?.initializer ?? []) {
    if (FLOAT_TYPES.has(t.dataType ?? 0)) total += tensorDims(t).reduce((a, d) => a * d, 1);
  }
  return total;
}
