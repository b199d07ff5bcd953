// GraphBuilder: a small typed API for writing ONNX graphs in TypeScript. Every value carries its
// element type and inferred shape (see shapes.ts), so mistakes surface where the graph is written,
// not as an opaque ONNX Runtime error later. Initializers can be marked trainable (see
// trainable.ts for the convention); build() returns onnx-proto's IModelProto, ready for
// serializeModel(). Default opset 17 (ONNX IR version 8).
import { encodeAttribute, nodeAttributes, type AttrValue, type Attrs } from './attributes';
import { formatShape, type Dim, type Shape } from './dims';
import { dtypeCode, onnx, type DType } from './proto';
import { inferShapes, type InferInput } from './shapes';
import { dtypeOfData, makeTensor, tensorNumbers, type TensorData } from './tensor';
import { TRAINABLE_DOC } from './trainable';

export { float, floats, tensorAttr, type Attrs, type AttrValue } from './attributes';
export type { Dim, Shape } from './dims';

/** A tensor in the graph under construction. */
export interface Value {
  readonly name: string;
  readonly dtype: DType;
  /** Inferred shape; null when unknown (e.g. an operator without a shape rule). */
  readonly shape: Shape | null;
}

export interface GraphBuilderOptions {
  /** Default-domain opset version (default 17). */
  opset?: number;
  docString?: string;
}

export interface InitializerOptions {
  trainable?: boolean;
  docString?: string;
}

export interface OpOptions {
  /** Number of outputs (default 1). */
  outputs?: number;
  /** Node name; also the base of its output names. Must be unique in the graph. */
  name?: string;
}

export interface ConvOptions {
  pads?: number[];
  strides?: number[];
  dilations?: number[];
  group?: number;
  autoPad?: 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';
  name?: string;
}

export interface ConvTransposeOptions extends ConvOptions {
  outputPadding?: number[];
  outputShape?: number[];
}

export interface ResizeOptions {
  /** One scale per dimension (N, C, H, W); or give sizes. */
  scales?: number[];
  sizes?: number[];
  mode?: 'nearest' | 'linear' | 'cubic';
  /** Default: 'asymmetric' for nearest (exact pixel replication), 'half_pixel' for linear/cubic. */
  coordinateTransformationMode?: 'half_pixel' | 'asymmetric' | 'align_corners' | 'pytorch_half_pixel' | 'tf_crop_and_resize';
  /** Default 'floor' for nearest. */
  nearestMode?: 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';
  name?: string;
}

export interface PoolOptions {
  kernel: number[];
  strides?: number[];
  pads?: number[];
  countIncludePad?: boolean;
  ceilMode?: boolean;
  name?: string;
}

export interface PadOptions {
  mode?: 'constant' | 'reflect' | 'edge';
  /** Fill value for mode 'constant' (default 0). */
  value?: number;
  name?: string;
}

type Operand = Value | number;

export class GraphBuilder {
  readonly name: string;
  readonly opset: number;
  private readonly docString: string | undefined;
  private readonly values = new Map<string, Value>();
  private readonly constants = new Map<string, number[]>();
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly nodeNames = new Set<string>();
  private readonly inputs: Value[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly outputs: { value: Value; shape: Shape | null }[] = [];
  private readonly metadata = new Map<string, string>();
  private counter = 0;

  constructor(name: string, opts: GraphBuilderOptions = {}) {
    this.name = name;
    this.opset = opts.opset ?? 17;
    this.docString = opts.docString;
    if (this.opset < 13) throw new Error(`GraphBuilder ${name}: opset ${this.opset} is too old (13 or newer)`);
  }

  // ---------- graph structure ----------

  private register(name: string, dtype: DType, shape: Shape | null): Value {
    if (!name) throw new Error(`graph ${this.name}: empty value name`);
    if (this.values.has(name)) throw new Error(`graph ${this.name}: value name "${name}" is already used`);
    const v: Value = { name, dtype, shape };
    this.values.set(name, v);
    return v;
  }

  /** A unique name with the given prefix. */
  uniqueName(prefix: string): string {
    let name = prefix;
    while (this.values.has(name) || this.nodeNames.has(name)) name = `${prefix}_${++this.counter}`;
    return name;
  }

  input(name: string, dtype: 'float32' | 'int64', shape: Dim[]): Value {
    const v = this.register(name, dtype, [...shape]);
    this.inputs.push(v);
    return v;
  }

  /** A named tensor stored in the model; `trainable` marks it for training (see trainable.ts). */
  initializer(name: string, data: TensorData, dims: number[], opts: InitializerOptions = {}): Value {
    const doc = opts.trainable ? TRAINABLE_DOC : opts.docString;
    const t = makeTensor(name, data, dims, doc);
    const v = this.register(name, dtypeOfData(data), [...dims]);
    this.initializers.push(t);
    if (data.length <= 64) this.constants.set(name, data instanceof BigInt64Array ? Array.from(data, Number) : Array.from(data));
    return v;
  }

  /**
   * A constant tensor (stored as a non-trainable initializer). Plain number arrays become int64
   * (shape-like operands: pads, axes, sizes); pass a Float32Array for float constants. `dims`
   * defaults to 1-D; pass [] for a scalar.
   */
  constant(data: TensorData | number[], dims?: number[], name?: string): Value {
    if (Array.isArray(data) && !data.every((x) => Number.isSafeInteger(x))) {
      throw new Error(`graph ${this.name}: constant [${data.slice(0, 8).join(', ')}] is not all integers; plain arrays are int64, pass a Float32Array for floats`);
    }
    const arr = Array.isArray(data) ? BigInt64Array.from(data.map((x) => BigInt(x))) : data;
    return this.initializer(name ?? this.uniqueName('const'), arr, dims ?? [arr.length]);
  }

  /** A float32 scalar constant (shape []). */
  scalar(value: number, name?: string): Value {
    return this.constant(Float32Array.of(value), [], name);
  }

  /** Constant values of a value (initializers and constants up to 64 elements), else null. */
  constantValue(v: Value): number[] | null {
    return this.constants.get(v.name) ?? null;
  }

  /** Looks a value up by name. */
  value(name: string): Value | undefined {
    return this.values.get(name);
  }

  /** Adds a node; infers its outputs' types and shapes. Missing optional inputs are null. */
  op(opType: string, inputs: (Value | null)[], attrs: Attrs = {}, opts: OpOptions = {}): Value[] {
    const nodeName = opts.name ? this.checkNodeName(opts.name) : this.uniqueName(opType);
    const count = opts.outputs ?? 1;
    const attrList: onnx.IAttributeProto[] = Object.entries(attrs)
      .filter((e): e is [string, AttrValue] => e[1] !== undefined)
      .map(([k, v]) => encodeAttribute(k, v));
    const node: onnx.INodeProto = {
      name: nodeName,
      opType,
      input: inputs.map((i) => (i ? this.checkOwned(i).name : '')),
      attribute: attrList,
    };
    const inferIn: (InferInput | null)[] = inputs.map((i) =>
      i ? { shape: i.shape, dtype: i.dtype, constant: this.constants.get(i.name) ?? null } : null,
    );
    const outs = inferShapes({ opType, nodeName, inputs: inferIn, attrs: nodeAttributes(node), outputCount: count, opset: this.opset });
    const values = outs.map((o, k) => this.register(count === 1 ? nodeName : `${nodeName}:${k}`, o.dtype, o.shape));
    node.output = values.map((v) => v.name);
    if (opType === 'Constant' && values[0]) this.recordConstantNode(node, values[0]);
    this.nodes.push(node);
    this.nodeNames.add(nodeName);
    return values;
  }

  /** Single-output op(). */
  op1(opType: string, inputs: (Value | null)[], attrs: Attrs = {}, name?: string): Value {
    return this.op(opType, inputs, attrs, name ? { name } : {})[0] as Value;
  }

  /** Keeps small Constant-node values, so Reshape/Slice/Pad operands from them are understood. */
  private recordConstantNode(node: onnx.INodeProto, v: Value): void {
    const a = nodeAttributes(node);
    const t = a.get('value');
    let vals: number[] | null = null;
    if (t && typeof t === 'object' && !Array.isArray(t)) vals = tensorNumbers(t);
    for (const k of ['value_float', 'value_int', 'value_floats', 'value_ints']) {
      const x = a.get(k);
      if (typeof x === 'number') vals = [x];
      else if (Array.isArray(x) && (x.length === 0 || typeof x[0] === 'number')) vals = x as number[];
    }
    if (vals && vals.length <= 64) this.constants.set(v.name, vals);
  }

  private checkNodeName(name: string): string {
    if (this.values.has(name) || this.nodeNames.has(name)) {
      throw new Error(`graph ${this.name}: node name "${name}" is already used`);
    }
    return name;
  }

  private checkOwned(v: Value): Value {
    if (this.values.get(v.name) !== v) throw new Error(`graph ${this.name}: value "${v.name}" belongs to another graph`);
    return v;
  }

  private operand(x: Operand): Value {
    return typeof x === 'number' ? this.scalar(x) : x;
  }

  /** Declares a graph output; `shape` overrides the inferred shape in the model's signature. */
  output(value: Value, name: string, shape?: Dim[]): Value {
    let v = this.checkOwned(value);
    const isInput = this.inputs.includes(v) || this.initializers.some((t) => t.name === v.name);
    if (v.name !== name || isInput || this.outputs.some((o) => o.value === v)) {
      v = this.op1('Identity', [v], {}, name);
    }
    this.outputs.push({ value: v, shape: shape ? [...shape] : v.shape });
    return v;
  }

  /** Adds a model-level metadata entry (metadata_props). */
  setMetadata(key: string, value: string): void {
    this.metadata.set(key, value);
  }

  // ---------- typed helpers ----------

  conv(x: Value, w: Value, b: Value | null, o: ConvOptions = {}): Value {
    return this.op1('Conv', b ? [x, w, b] : [x, w], {
      pads: o.pads, strides: o.strides, dilations: o.dilations, group: o.group,
      auto_pad: o.autoPad && o.autoPad !== 'NOTSET' ? o.autoPad : undefined,
    }, o.name);
  }

  convTranspose(x: Value, w: Value, b: Value | null, o: ConvTransposeOptions = {}): Value {
    return this.op1('ConvTranspose', b ? [x, w, b] : [x, w], {
      pads: o.pads, strides: o.strides, dilations: o.dilations, group: o.group,
      output_padding: o.outputPadding, output_shape: o.outputShape,
      auto_pad: o.autoPad && o.autoPad !== 'NOTSET' ? o.autoPad : undefined,
    }, o.name);
  }

  relu(x: Value, name?: string): Value { return this.op1('Relu', [x], {}, name); }
  leakyRelu(x: Value, alpha = 0.01, name?: string): Value { return this.op1('LeakyRelu', [x], { alpha }, name); }
  prelu(x: Value, slope: Value, name?: string): Value { return this.op1('PRelu', [x, slope], {}, name); }
  sigmoid(x: Value, name?: string): Value { return this.op1('Sigmoid', [x], {}, name); }
  tanh(x: Value, name?: string): Value { return this.op1('Tanh', [x], {}, name); }

  add(a: Operand, b: Operand, name?: string): Value { return this.op1('Add', [this.operand(a), this.operand(b)], {}, name); }
  sub(a: Operand, b: Operand, name?: string): Value { return this.op1('Sub', [this.operand(a), this.operand(b)], {}, name); }
  mul(a: Operand, b: Operand, name?: string): Value { return this.op1('Mul', [this.operand(a), this.operand(b)], {}, name); }
  div(a: Operand, b: Operand, name?: string): Value { return this.op1('Div', [this.operand(a), this.operand(b)], {}, name); }

  matmul(a: Value, b: Value, name?: string): Value { return this.op1('MatMul', [a, b], {}, name); }

  /** alpha * A' B' + beta * C (A' = A transposed when transA). */
  gemm(a: Value, b: Value, c: Value | null, o: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number; name?: string } = {}): Value {
    return this.op1('Gemm', c ? [a, b, c] : [a, b], {
      transA: o.transA ? 1 : undefined, transB: o.transB ? 1 : undefined, alpha: o.alpha, beta: o.beta,
    }, o.name);
  }

  concat(values: Value[], axis: number, name?: string): Value {
    if (values.length === 0) throw new Error(`graph ${this.name}: concat of nothing`);
    return this.op1('Concat', values, { axis }, name);
  }

  /** Splits along `axis` into parts of the given sizes. */
  split(x: Value, sizes: number[], axis: number, name?: string): Value[] {
    return this.op('Split', [x, this.constant(sizes)], { axis }, { outputs: sizes.length, ...(name ? { name } : {}) });
  }

  slice(x: Value, starts: number[], ends: number[], axes?: number[], steps?: number[], name?: string): Value {
    const ins: (Value | null)[] = [x, this.constant(starts), this.constant(ends)];
    if (axes || steps) ins.push(axes ? this.constant(axes) : null);
    if (steps) ins.push(this.constant(steps));
    return this.op1('Slice', ins, {}, name);
  }

  reshape(x: Value, shape: number[], name?: string): Value {
    return this.op1('Reshape', [x, this.constant(shape)], {}, name);
  }

  transpose(x: Value, perm: number[], name?: string): Value {
    return this.op1('Transpose', [x], { perm }, name);
  }

  /** Pixel shuffle; mode 'CRD' matches PyTorch's PixelShuffle, 'DCR' is the ONNX default. */
  depthToSpace(x: Value, blocksize: number, mode: 'DCR' | 'CRD' = 'CRD', name?: string): Value {
    return this.op1('DepthToSpace', [x], { blocksize, mode }, name);
  }

  /** Pixel unshuffle (channel order as PyTorch's PixelUnshuffle). */
  spaceToDepth(x: Value, blocksize: number, name?: string): Value {
    return this.op1('SpaceToDepth', [x], { blocksize }, name);
  }

  resize(x: Value, o: ResizeOptions): Value {
    const mode = o.mode ?? 'nearest';
    if (!o.scales === !o.sizes) throw new Error(`graph ${this.name}: resize needs exactly one of scales and sizes`);
    const ins: (Value | null)[] = [x, null, o.scales ? this.constant(Float32Array.from(o.scales)) : null];
    if (o.sizes) ins.push(this.constant(o.sizes));
    return this.op1('Resize', ins, {
      mode,
      coordinate_transformation_mode: o.coordinateTransformationMode ?? (mode === 'nearest' ? 'asymmetric' : 'half_pixel'),
      nearest_mode: mode === 'nearest' ? (o.nearestMode ?? 'floor') : undefined,
    }, o.name);
  }

  averagePool(x: Value, o: PoolOptions): Value {
    return this.op1('AveragePool', [x], {
      kernel_shape: o.kernel, strides: o.strides, pads: o.pads,
      count_include_pad: o.countIncludePad ? 1 : undefined, ceil_mode: o.ceilMode ? 1 : undefined,
    }, o.name);
  }

  /** Mean over `axes` (an attribute before opset 18, an input from 18). */
  reduceMean(x: Value, axes: number[], keepdims = true, name?: string): Value {
    const keep = keepdims ? 1 : 0;
    if (this.opset >= 18) return this.op1('ReduceMean', [x, this.constant(axes)], { keepdims: keep }, name);
    return this.op1('ReduceMean', [x], { axes, keepdims: keep }, name);
  }

  /** Pads with [begin_0, ..., begin_n, end_0, ..., end_n] (ONNX order). */
  pad(x: Value, pads: number[], o: PadOptions = {}): Value {
    const mode = o.mode ?? 'constant';
    const ins: (Value | null)[] = [x, this.constant(pads)];
    if (mode === 'constant' && o.value !== undefined && o.value !== 0) ins.push(this.scalar(o.value));
    return this.op1('Pad', ins, { mode }, o.name);
  }

  /** Clamps to [min, max]; either bound may be omitted (opset 11+ semantics: bounds are inputs). */
  clip(x: Value, min?: number, max?: number, name?: string): Value {
    const ins: (Value | null)[] = [x, min !== undefined ? this.scalar(min) : null];
    if (max !== undefined) ins.push(this.scalar(max));
    return this.op1('Clip', ins, {}, name);
  }

  // ---------- output ----------

  private valueInfo(v: Value, shape: Shape | null): onnx.IValueInfoProto {
    const tensorType: onnx.ITypeProto['tensorType'] = { elemType: dtypeCode(v.dtype) };
    if (shape) {
      tensorType.shape = { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) };
    }
    return { name: v.name, type: { tensorType } };
  }

  /** The finished model. Throws if no output was declared. */
  build(): onnx.IModelProto {
    if (this.outputs.length === 0) throw new Error(`graph ${this.name}: no outputs declared`);
    const graph: onnx.IGraphProto = {
      name: this.name,
      node: this.nodes,
      input: this.inputs.map((v) => this.valueInfo(v, v.shape)),
      output: this.outputs.map((o) => this.valueInfo(o.value, o.shape)),
      initializer: this.initializers,
    };
    if (this.docString) graph.docString = this.docString;
    return {
      irVersion: irVersionFor(this.opset),
      opsetImport: [{ domain: '', version: this.opset }],
      producerName: 'restore-studio/models',
      producerVersion: '1',
      graph,
      metadataProps: [...this.metadata].map(([key, value]) => ({ key, value })),
    };
  }

  /** One-line summary of a value, for error messages and logs. */
  describe(v: Value): string {
    return `${v.name}: ${v.dtype}${formatShape(v.shape)}`;
  }
}

/** The ONNX IR version that goes with a default-domain opset. */
export function irVersionFor(opset: number): number {
  if (opset <= 17) return 8;
  if (opset <= 19) return 9;
  if (opset <= 21) return 10;
  return 11;
}
