// TensorProto encoding and decoding: typed arrays <-> ONNX tensors (raw little-endian bytes), used
// for initializers, Constant values and reading trained weights back out of a model.
import { onnx, dtypeCode, dtypeFromCode, toNumber, type DType } from './proto';

export type TensorData = Float32Array | BigInt64Array | Int32Array | Uint8Array;

export function dtypeOfData(data: TensorData): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  return 'bool';
}

function elementCount(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Builds a TensorProto; `data` length must equal the product of `dims` (Uint8Array = bool). */
export function makeTensor(name: string, data: TensorData, dims: number[], docString?: string): onnx.ITensorProto {
  const n = elementCount(dims);
  if (data.length !== n) {
    throw new Error(`tensor ${name}: ${data.length} values do not fill dims [${dims.join(', ')}] (${n} expected)`);
  }
  // Copy: the view may be a window into a larger buffer, and the caller may mutate it later.
  const raw = new Uint8Array(data.byteLength);
  raw.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  const t: onnx.ITensorProto = { name, dims, dataType: dtypeCode(dtypeOfData(data)), rawData: raw };
  if (docString) t.docString = docString;
  return t;
}

/** Element type of a TensorProto. */
export function tensorDType(t: onnx.ITensorProto): DType {
  return dtypeFromCode(t.dataType ?? 0);
}

export function tensorDims(t: onnx.ITensorProto): number[] {
  return (t.dims ?? []).map((d) => toNumber(d));
}

function copyBytes(raw: Uint8Array): ArrayBuffer {
  const buf = new ArrayBuffer(raw.byteLength);
  new Uint8Array(buf).set(raw);
  return buf;
}

/** Decodes a TensorProto's values (raw_data or the typed repeated fields). */
export function readTensor(t: onnx.ITensorProto): TensorData {
  const dtype = tensorDType(t);
  const n = elementCount(tensorDims(t));
  const raw = t.rawData;
  if (raw && raw.byteLength > 0) {
    const buf = copyBytes(raw);
    switch (dtype) {
      case 'float32': return new Float32Array(buf);
      case 'int64': return new BigInt64Array(buf);
      case 'int32': return new Int32Array(buf);
      case 'bool': return new Uint8Array(buf);
    }
  }
  switch (dtype) {
    case 'float32': return Float32Array.from(t.floatData ?? []).subarray(0, n);
    case 'int64': return BigInt64Array.from((t.int64Data ?? []).map((v) => BigInt(toNumber(v))));
    case 'int32': return Int32Array.from(t.int32Data ?? []);
    case 'bool': return Uint8Array.from(t.int32Data ?? []);
  }
}

/** Numeric values of an integer or float tensor as plain numbers (for shape inference). */
export function tensorNumbers(t: onnx.ITensorProto): number[] {
  const d = readTensor(t);
  return d instanceof BigInt64Array ? Array.from(d, (v) => Number(v)) : Array.from(d);
}
