// Reverse-mode differentiation of an ONNX forward graph: walks the nodes between the parameters
// and a loss value in reverse topological order, asks each operator's rule (./rules) for the
// gradients of its inputs, sums gradients of values used more than once, and returns the backward
// nodes as ordinary ONNX operators, ready to be appended to the forward graph.
import { onnx } from '../../models/onnx/proto';
import { nodeAttributes } from '../../models/onnx/attributes';
import { readTensor } from '../../models/onnx/tensor';
import { Emitter } from './emitter';
import { inferTensorInfo, type InputSpec, type TensorInfo } from './shapes';
import { GRADIENT_RULES } from './rules/index';
import { AutodiffError, DEFAULT_GRAD_OPTIONS, type GradContext, type GradOptions } from './rules/types';

export interface DifferentiateOptions {
  /** The value to differentiate (a scalar loss; other shapes are seeded with ones). */
  loss: string;
  /** Initializers or graph inputs to differentiate with respect to. */
  wrt: string[];
  /** Concrete shapes of the graph inputs (the training step's batch and patch size). */
  inputs: Record<string, InputSpec>;
  grad?: Partial<GradOptions>;
  /** Prefix of emitted value names. */
  prefix?: string;
}

export interface GradientGraph {
  nodes: onnx.INodeProto[];
  initializers: onnx.ITensorProto[];
  /** wrt name -> name of its gradient value. */
  grads: Map<string, string>;
  /** Static info on every forward value. */
  info: Map<string, TensorInfo>;
  opset: number;
}

export function modelOpset(model: onnx.IModelProto): number {
  const imp = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return imp ? Number(imp.version) : 0;
}

/** Float values of small constants: initializers and Constant nodes. */
function constantFloats(graph: onnx.IGraphProto): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const add = (name: string, t: onnx.ITensorProto): void => {
    const d = readTensor(t);
    if (d.length <= 64) out.set(name, Array.from(d instanceof BigInt64Array ? Array.from(d, Number) : d));
  };
  for (const t of graph.initializer ?? []) add(t.name ?? '', t);
  for (const n of graph.node ?? []) {
    if (n.opType !== 'Constant') continue;
    const v = (n.attribute ?? []).find((a) => a.name === 'value');
    if (v?.t) add((n.output ?? [])[0] ?? '', v.t);
    const vf = (n.attribute ?? []).find((a) => a.name === 'value_float' || a.name === 'value_floats');
    if (vf) out.set((n.output ?? [])[0] ?? '', vf.f !== undefined && vf.f !== null && vf.name === 'value_float' ? [vf.f] : [...(vf.floats ?? [])]);
  }
  return out;
}

export async function differentiate(model: onnx.IModelProto, opts: DifferentiateOptions): Promise<GradientGraph> {
  const graph = model.graph ?? {};
  const nodes = graph.node ?? [];
  const opset = modelOpset(model);
  if (opset < 13) throw new Error(`training needs ONNX opset 13 or later (model has ${opset})`);
  const info = await inferTensorInfo(model, opts.inputs);
  const floats = constantFloats(graph);
  const options: GradOptions = { ...DEFAULT_GRAD_OPTIONS, ...opts.grad };

  // Values that depend on a parameter, and nodes the loss depends on.
  const live = new Set(opts.wrt);
  for (const n of nodes) {
    if ((n.input ?? []).some((i) => live.has(i)) && n.opType !== 'Shape') for (const o of n.output ?? []) live.add(o);
  }
  if (!live.has(opts.loss)) throw new Error(`the loss "${opts.loss}" does not depend on any of: ${opts.wrt.join(', ')}`);
  const needed = new Set([opts.loss]);
  const path: onnx.INodeProto[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i] as onnx.INodeProto;
    if (!(n.output ?? []).some((o) => needed.has(o))) continue;
    if (!(n.output ?? []).some((o) => live.has(o))) continue;
    path.push(n);
    for (const inp of n.input ?? []) if (inp && live.has(inp)) needed.add(inp);
  }

  const taken: string[] = [...info.keys()];
  for (const n of nodes) taken.push(n.name ?? '', ...(n.output ?? []));
  const emit = new Emitter(taken, opts.prefix ?? 'grad');
  const contributions = new Map<string, string[]>();
  const addGrad = (name: string, g: string): void => {
    const list = contributions.get(name);
    if (list) list.push(g);
    else contributions.set(name, [g]);
  };
  const gradOf = (name: string): string | null => {
    const list = contributions.get(name);
    if (!list || list.length === 0) return null;
    if (list.length === 1) return list[0] as string;
    const s = emit.op1('Sum', list, {}, 'accumulate');
    contributions.set(name, [s]);
    return s;
  };
  const shapeOf = (name: string): number[] => {
    const i = info.get(name);
    if (!i) throw new Error(`no shape known for "${name}"`);
    return i.dims;
  };
  const lossShape = shapeOf(opts.loss);
  addGrad(opts.loss, lossShape.length === 0 ? emit.scalar(1) : emit.f32(new Float32Array(lossShape.reduce((a, b) => a * b, 1)).fill(1), lossShape));

  for (const node of path) {
    const outputs = node.output ?? [];
    const gradOut = outputs.map((o) => gradOf(o));
    if (gradOut.every((g) => g === null)) continue;
    const rule = GRADIENT_RULES[node.opType ?? ''];
    if (!rule || (node.domain && node.domain !== 'ai.onnx')) {
      throw new AutodiffError(node, 'operator not supported for training (differentiable: see training/autodiff/rules)');
    }
    const inputs = node.input ?? [];
    const ctx: GradContext = {
      node, attrs: nodeAttributes(node), inputs, outputs, gradOut,
      needs: inputs.map((i) => !!i && live.has(i) && needed.has(i) && info.get(i)?.type === 'float32'),
      shape: shapeOf,
      ints: (name) => {
        const v = info.get(name)?.ints;
        if (!v) throw new AutodiffError(node, `operand "${name}" must be a constant integer tensor`);
        return v;
      },
      intsOrNull: (name) => info.get(name)?.ints ?? null,
      floats: (name) => floats.get(name) ?? null,
      emit, opset, options,
    };
    const grads = await rule(ctx);
    grads.forEach((g, i) => {
      const name = inputs[i];
      if (g && name && ctx.needs[i]) addGrad(name, g);
    });
  }

  const grads = new Map<string, string>();
  for (const w of opts.wrt) {
    const g = gradOf(w) ?? emit.zeros(shapeOf(w));
    grads.set(w, g);
  }
  return { nodes: emit.nodes, initializers: emit.initializers, grads, info, opset };
}
