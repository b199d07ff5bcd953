// Joins a forward graph and its backward pass into one model whose outputs are the requested values
// (loss, gradients, updated weights...). Graph outputs are listed by name only; ONNX Runtime infers
// their types.
import type { onnx } from '../../models/onnx/proto';
import type { GradientGraph } from './differentiate';

export function assembleModel(
  forward: onnx.IModelProto,
  extra: { nodes: onnx.INodeProto[]; initializers: onnx.ITensorProto[] }[],
  outputs: string[],
  name = 'training',
): onnx.IModelProto {
  const g = forward.graph ?? {};
  return {
    ...forward,
    graph: {
      ...g,
      name,
      node: [...(g.node ?? []), ...extra.flatMap((x) => x.nodes)],
      initializer: [...(g.initializer ?? []), ...extra.flatMap((x) => x.initializers)],
      output: outputs.map((o) => ({ name: o })),
      valueInfo: [],
    },
  };
}

/** Convenience: the forward graph plus backward nodes, outputs = [loss, ...gradients]. */
export function gradientModel(forward: onnx.IModelProto, loss: string, grad: GradientGraph): onnx.IModelProto {
  return assembleModel(forward, [grad], [loss, ...grad.grads.values()]);
}
