// Appends the nodes and constants of a backward pass to a graph under construction: unique value
// names, one-call ONNX node emission (attributes encoded by models/onnx/attributes) and typed
// constants as initializers. Gradient rules talk only to this class, never to raw protobuf.
import { onnx } from '../../models/onnx/proto';
import { encodeAttribute, type Attrs } from '../../models/onnx/attributes';
import { makeTensor } from '../../models/onnx/tensor';

export class Emitter {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private counter = 0;
  private readonly taken: Set<string>;
  private readonly i64Cache = new Map<string, string>();
  private readonly f32Cache = new Map<string, string>();

  /** `taken` holds the names already used by the forward graph. */
  constructor(taken: Iterable<string>, private readonly prefix = 'grad') {
    this.taken = new Set(taken);
  }

  /** A fresh value name derived from `hint`. */
  fresh(hint: string): string {
    const base = `${this.prefix}/${hint.replace(/[^A-Za-z0-9_./:-]/g, '_')}`;
    let name = base;
    while (this.taken.has(name)) name = `${base}_${++this.counter}`;
    this.taken.add(name);
    return name;
  }

  /** Emits one node and returns its output names ('' inputs are ONNX's omitted optional inputs). */
  op(opType: string, inputs: string[], attrs: Attrs = {}, outputs = 1, hint = opType): string[] {
    const outs = Array.from({ length: outputs }, () => this.fresh(hint));
    const attribute = Object.entries(attrs)
      .filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined)
      .map(([k, v]) => encodeAttribute(k, v));
    this.nodes.push({ opType, input: inputs, output: outs, name: this.fresh(`node_${hint}`), attribute });
    return outs;
  }

  /** Emits a single-output node. */
  op1(opType: string, inputs: string[], attrs: Attrs = {}, hint = opType): string {
    return this.op(opType, inputs, attrs, 1, hint)[0] as string;
  }

  /** An int64 constant (shared between uses). */
  i64(values: readonly number[], dims: number[] = [values.length]): string {
    const key = `${dims.join(',')}:${values.join(',')}`;
    const hit = this.i64Cache.get(key);
    if (hit) return hit;
    const name = this.fresh('const_i64');
    this.initializers.push(makeTensor(name, BigInt64Array.from(values.map((v) => BigInt(v))), dims));
    this.i64Cache.set(key, name);
    return name;
  }

  /** A float32 constant; small ones are shared between uses. */
  f32(values: ArrayLike<number>, dims: number[]): string {
    const small = values.length <= 16;
    const key = small ? `${dims.join(',')}:${Array.from(values).join(',')}` : '';
    const hit = small ? this.f32Cache.get(key) : undefined;
    if (hit) return hit;
    const name = this.fresh('const_f32');
    this.initializers.push(makeTensor(name, Float32Array.from(values), dims));
    if (small) this.f32Cache.set(key, name);
    return name;
  }

  /** A float32 scalar constant (rank 0). */
  scalar(v: number): string {
    return this.f32([v], []);
  }

  /** A float32 tensor of zeros with a static shape. */
  zeros(shape: number[]): string {
    return this.op1('ConstantOfShape', [this.i64(shape)], {
      value: { kind: 'tensor', value: makeTensor('value', new Float32Array([0]), [1]) },
    }, 'zeros');
  }
}
