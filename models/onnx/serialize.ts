// Binary (protobuf) encoding of ONNX models, and decoding with a clear error on malformed bytes.
import { onnx } from './proto';

export function serializeModel(model: onnx.IModelProto): Uint8Array {
  const err = onnx.ModelProto.verify(model);
  if (err) throw new Error(`invalid ONNX model: ${err}`);
  return onnx.ModelProto.encode(model).finish();
}

/** Decodes an ONNX model; `source` (a file name) is used in the error message. */
export function parseModel(bytes: Uint8Array, source = 'model'): onnx.IModelProto {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new Error(`${source}: not an ONNX model (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  if (!model.graph) throw new Error(`${source}: not an ONNX model (no graph)`);
  return model;
}
