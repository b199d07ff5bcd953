// The onnx-proto runtime (protobufjs classes) and its types under one name. onnx-proto is a
// CommonJS module whose only export Node's ESM loader sees is `default`, so a named import
// (`import { onnx } from 'onnx-proto'`) fails at run time outside a bundler; import it from here.
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

export const onnx = onnxProto.onnx;
// Type-only namespace merged with the value above, so `onnx.IModelProto` works as a type too.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace onnx {
  type IModelProto = OnnxTypes.IModelProto;
  type ModelProto = OnnxTypes.ModelProto;
  type IGraphProto = OnnxTypes.IGraphProto;
  type INodeProto = OnnxTypes.INodeProto;
  type ITensorProto = OnnxTypes.ITensorProto;
  type IAttributeProto = OnnxTypes.IAttributeProto;
  type IValueInfoProto = OnnxTypes.IValueInfoProto;
  type ITypeProto = OnnxTypes.ITypeProto;
  type ITensorShapeProto = OnnxTypes.ITensorShapeProto;
  type IOperatorSetIdProto = OnnxTypes.IOperatorSetIdProto;
  type IStringStringEntryProto = OnnxTypes.IStringStringEntryProto;
}

/** Element types the builder knows. */
export type DType = 'float32' | 'int64' | 'int32' | 'bool';

const DTYPE_CODES: Record<DType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  bool: onnx.TensorProto.DataType.BOOL,
};

export function dtypeCode(dtype: DType): number {
  return DTYPE_CODES[dtype];
}

export function dtypeFromCode(code: number): DType {
  for (const [name, c] of Object.entries(DTYPE_CODES)) if (c === code) return name as DType;
  throw new Error(`ONNX element type ${code} is not supported (float32, int64, int32, bool are)`);
}

/** protobufjs decodes int64 fields as Long when the `long` package is installed. */
export function toNumber(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}
