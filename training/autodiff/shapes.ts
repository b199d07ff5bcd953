// Static shapes, element types and small integer values of every tensor in a forward graph, found
// by running the graph once in ONNX Runtime at the concrete input shapes of the training step.
// Execution is the ground truth for imported models whose value_info is absent or symbolic, and it
// resolves shape arithmetic (Shape -> Gather -> Concat -> Reshape) that static rules would miss.
import * as ort from 'onnxruntime-node';
import { onnx } from '../../models/onnx/proto';
import { serializeModel } from '../../models/onnx/serialize';
import { readTensor, tensorDims, tensorDType } from '../../models/onnx/tensor';
import { nodeAttributes } from '../../models/onnx/attributes';
import { hasShapeRule, inferShapes, type InferInput } from '../../models/onnx/shapes';
import type { DType } from '../../models/onnx/proto';

export type ElemType = 'float32' | 'int64' | 'int32' | 'bool' | 'other';

export interface TensorInfo {
  dims: number[];
  type: ElemType;
  /** Values of small integer tensors (shape operands such as Reshape's shape, Slice's starts). */
  ints?: number[];
}

export interface InputSpec {
  dims: number[];
  type?: 'float32' | 'int64';
}

function elemType(t: ort.Tensor['type'] | number): ElemType {
  if (t === 'float32' || t === onnx.TensorProto.DataType.FLOAT) return 'float32';
  if (t === 'int64' || t === onnx.TensorProto.DataType.INT64) return 'int64';
  if (t === 'int32' || t === onnx.TensorProto.DataType.INT32) return 'int32';
  if (t === 'bool' || t === onnx.TensorProto.DataType.BOOL) return 'bool';
  return 'other';
}

function smallInts(data: ArrayLike<number | bigint>, type: ElemType): number[] | undefined {
  if ((type !== 'int64' && type !== 'int32') || data.length > 64) return undefined;
  return Array.from(data as ArrayLike<number | bigint>, (v) => Number(v));
}

/**
 * Static pass with the builder's shape rules (models/onnx/shapes); null when anything is left
 * unknown (an op without a rule, a symbolic dim, a computed integer tensor), so the caller falls
 * back to execution.
 */
export function staticTensorInfo(model: onnx.IModelProto, inputs: Record<string, InputSpec>): Map<string, TensorInfo> | null {
  const graph = model.graph ?? {};
  const opset = Number((model.opsetImport ?? []).find((o) => !o.domain)?.version ?? 0);
  const known = new Map<string, InferInput>();
  const info = new Map<string, TensorInfo>();
  for (const t of graph.initializer ?? []) {
    let dtype: DType;
    try { dtype = tensorDType(t); } catch { return null; }
    const dims = tensorDims(t);
    const data = readTensor(t);
    const constant = data.length <= 64 ? Array.from(data instanceof BigInt64Array ? Array.from(data, Number) : data) : null;
    known.set(t.name ?? '', { shape: dims, dtype, constant });
    const entry: TensorInfo = { dims, type: dtype };
    if ((dtype === 'int64' || dtype === 'int32') && constant) entry.ints = constant;
    info.set(t.name ?? '', entry);
  }
  for (const vi of graph.input ?? []) {
    const name = vi.name ?? '';
    if (known.has(name)) continue;
    const spec = inputs[name];
    if (!spec) throw new Error(`shape inference: no shape given for graph input "${name}"`);
    const dtype = spec.type ?? 'float32';
    known.set(name, { shape: [...spec.dims], dtype, constant: null });
    info.set(name, { dims: [...spec.dims], type: dtype });
  }
  for (const n of graph.node ?? []) {
    const op = n.opType ?? '';
    if (op === 'Constant' || !hasShapeRule(op) || (n.domain && n.domain !== 'ai.onnx')) return null;
    const ins = (n.input ?? []).map((i) => (i ? known.get(i) ?? null : null));
    if ((n.input ?? []).some((i, k) => i && !ins[k])) return null;
    let outs;
    try {
      outs = inferShapes({ opType: op, nodeName: n.name ?? '', inputs: ins, attrs: nodeAttributes(n), outputCount: (n.output ?? []).length, opset });
    } catch {
      return null;
    }
    for (const [k, o] of outs.entries()) {
      const shape = o.shape;
      if (!shape || shape.some((d) => typeof d !== 'number')) return null;
      if (o.dtype === 'int64' || o.dtype === 'int32') return null; // computed shape operands: execute
      const name = (n.output ?? [])[k] ?? '';
      known.set(name, { shape, dtype: o.dtype, constant: null });
      info.set(name, { dims: shape as number[], type: o.dtype });
    }
  }
  return info;
}

/** Static shapes when the rules determine them all, else one execution (see inferByExecution). */
export async function inferTensorInfo(model: onnx.IModelProto, inputs: Record<string, InputSpec>): Promise<Map<string, TensorInfo>> {
  return staticTensorInfo(model, inputs) ?? inferByExecution(model, inputs);
}

/** Runs `model` once with zero-filled inputs of the given shapes and records every tensor's info. */
export async function inferByExecution(model: onnx.IModelProto, inputs: Record<string, InputSpec>): Promise<Map<string, TensorInfo>> {
  const graph = model.graph ?? {};
  const info = new Map<string, TensorInfo>();
  for (const t of graph.initializer ?? []) {
    const type = elemType(t.dataType ?? 0);
    const dims = tensorDims(t);
    const entry: TensorInfo = { dims, type };
    if (type === 'int64' || type === 'int32') {
      const ints = smallInts(readTensor(t) as BigInt64Array | Int32Array, type);
      if (ints) entry.ints = ints;
    }
    info.set(t.name ?? '', entry);
  }
  const wanted: string[] = [];
  for (const n of graph.node ?? []) for (const o of n.output ?? []) if (o && !info.has(o)) wanted.push(o);
  const probe: onnx.IModelProto = {
    ...model,
    graph: { ...graph, output: wanted.map((name) => ({ name })), valueInfo: [] },
  };
  const feeds: Record<string, ort.Tensor> = {};
  for (const vi of graph.input ?? []) {
    const name = vi.name ?? '';
    if (info.has(name)) continue; // an initializer listed as input (old IR)
    const spec = inputs[name];
    if (!spec) throw new Error(`shape inference: no shape given for graph input "${name}"`);
    const n = spec.dims.reduce((a, b) => a * b, 1);
    const t = spec.type === 'int64'
      ? new ort.Tensor('int64', new BigInt64Array(n), spec.dims)
      : new ort.Tensor('float32', new Float32Array(n), spec.dims);
    feeds[name] = t;
    info.set(name, { dims: [...spec.dims], type: spec.type ?? 'float32' });
  }
  const session = await ort.InferenceSession.create(serializeModel(probe), { graphOptimizationLevel: 'disabled' });
  try {
    const out = await session.run(feeds);
    for (const name of wanted) {
      const t = out[name];
      if (!t) continue;
      const type = elemType(t.type);
      const entry: TensorInfo = { dims: [...t.dims], type };
      const ints = smallInts(t.data as ArrayLike<number | bigint>, type);
      if (ints) entry.ints = ints;
      info.set(name, entry);
      t.dispose();
    }
  } finally {
    await session.release();
  }
  return info;
}
