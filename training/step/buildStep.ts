// Builds the training-step model from a forward (inference) model: trainable initializers become
// inputs, the loss against a `target` input is appended, the graph is differentiated and the
// optimizer update added. One run of the resulting model = one training step; weights and
// optimizer state go in and come out. Also builds the matching forward-only model (weights as
// inputs) used for validation, so neither model is ever rebuilt during a run.
import type { onnx } from '../../models/onnx/proto';
import { readTensor, tensorDims } from '../../models/onnx/tensor';
import { trainableInitializers } from '../../models/onnx/trainable';
import { Emitter } from '../autodiff/emitter';
import { differentiate } from '../autodiff/differentiate';
import { assembleModel } from '../autodiff/assemble';
import { inferTensorInfo } from '../autodiff/shapes';
import type { GradOptions } from '../autodiff/rules/types';
import { emitLoss, type LossKind } from './losses';
import { emitOptimizer, DEFAULT_OPTIMIZER, type OptimizerConfig } from './optimizer';

export interface StepConfig {
  loss: LossKind;
  /** 'l1-chroma': k of the per-pixel weight 1 + k x chroma (default CHROMA_WEIGHT). */
  chromaWeight?: number;
  optimizer?: Partial<OptimizerConfig>;
  /** Shapes of the forward model's inputs at the training batch size. */
  inputs: Record<string, number[]>;
  /** Forward output to train (default: the first graph output). */
  output?: string;
  grad?: Partial<GradOptions>;
}

export interface ParamInfo { name: string; dims: number[]; size: number }

/** Names of the training-step model's inputs and outputs. */
export interface StepIO {
  target: string;
  lr: string;
  t: string;
  loss: string;
  gradNorm: string;
  /** per parameter: input names and updated-output names */
  slots: { name: string; m: string; v: string; pNext: string; mNext: string; vNext: string }[];
}

export interface StepModel {
  step: onnx.IModelProto;
  /** Forward with weights as inputs (validation, and the check that export equals training). */
  forward: onnx.IModelProto;
  params: ParamInfo[];
  /** Initial parameter values from the forward model. */
  initial: Map<string, Float32Array>;
  io: StepIO;
  inputShapes: Record<string, number[]>;
  targetShape: number[];
  output: string;
}

/** Forward model with its trainable initializers turned into graph inputs. */
export function paramsAsInputs(model: onnx.IModelProto): { model: onnx.IModelProto; params: ParamInfo[]; initial: Map<string, Float32Array> } {
  const g = model.graph ?? {};
  const trainable = new Set(trainableInitializers(model).map((t) => t.name ?? ''));
  if (trainable.size === 0) throw new Error('the model has no trainable initializers (doc_string "trainable")');
  const params: ParamInfo[] = [];
  const initial = new Map<string, Float32Array>();
  const inputs: onnx.IValueInfoProto[] = [...(g.input ?? [])];
  for (const t of g.initializer ?? []) {
    const name = t.name ?? '';
    if (!trainable.has(name)) continue;
    const dims = tensorDims(t);
    const data = readTensor(t);
    if (!(data instanceof Float32Array)) throw new Error(`trainable initializer ${name} is not float32`);
    params.push({ name, dims, size: data.length });
    initial.set(name, data);
    inputs.push({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  }
  const initializer = (g.initializer ?? []).filter((t) => !trainable.has(t.name ?? ''));
  return { model: { ...model, graph: { ...g, input: inputs, initializer } }, params, initial };
}

export async function buildStepModel(forwardModel: onnx.IModelProto, cfg: StepConfig): Promise<StepModel> {
  const { model: fwd, params, initial } = paramsAsInputs(forwardModel);
  const g = fwd.graph ?? {};
  const output = cfg.output ?? (g.output ?? [])[0]?.name ?? '';
  const taken: string[] = [];
  for (const n of g.node ?? []) taken.push(n.name ?? '', ...(n.output ?? []), ...(n.input ?? []));
  for (const t of g.initializer ?? []) taken.push(t.name ?? '');
  const lossEmit = new Emitter(taken, 'loss');
  const target = lossEmit.fresh('target');
  const loss = lossEmit.op1('Identity', [emitLoss(lossEmit, cfg.loss, output, target, { chromaWeight: cfg.chromaWeight })], {}, 'value');

  // Shapes: params and inputs are known; the target has the output's shape (found by the probe run).
  const specs: Record<string, { dims: number[] }> = {};
  for (const [k, v] of Object.entries(cfg.inputs)) specs[k] = { dims: v };
  for (const p of params) specs[p.name] = { dims: p.dims };
  const fwdInfo = await inferTensorInfo({ ...fwd, graph: { ...g, output: [{ name: output }] } }, specs);
  const targetShape = fwdInfo.get(output)?.dims;
  if (!targetShape) throw new Error(`forward output ${output} not found`);
  specs[target] = { dims: targetShape };

  const withLoss: onnx.IModelProto = {
    ...fwd,
    graph: {
      ...g,
      node: [...(g.node ?? []), ...lossEmit.nodes],
      initializer: [...(g.initializer ?? []), ...lossEmit.initializers],
      input: [...(g.input ?? []), { name: target, type: { tensorType: { elemType: 1 } } }],
    },
  };
  const grad = await differentiate(withLoss, { loss, wrt: params.map((p) => p.name), inputs: specs, grad: cfg.grad });
  const optTaken = [...taken, ...lossEmit.nodes.flatMap((n) => [n.name ?? '', ...(n.output ?? [])]), ...grad.nodes.flatMap((n) => [n.name ?? '', ...(n.output ?? [])]), ...grad.initializers.map((t) => t.name ?? '')];
  const oe = new Emitter(optTaken, 'opt');
  const lr = oe.fresh('lr'), t = oe.fresh('t');
  const slots = params.map((p) => ({ param: p.name, grad: grad.grads.get(p.name) as string, m: oe.fresh(`m/${p.name}`), v: oe.fresh(`v/${p.name}`) }));
  const opt = emitOptimizer(oe, { ...DEFAULT_OPTIMIZER, ...cfg.optimizer }, slots, lr, t);
  const io: StepIO = {
    target, lr, t, loss, gradNorm: opt.gradNorm,
    slots: slots.map((s) => {
      const n = opt.next.get(s.param) as { p: string; m: string; v: string };
      return { name: s.param, m: s.m, v: s.v, pNext: n.p, mNext: n.m, vNext: n.v };
    }),
  };
  const scalarIn = (name: string): onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [] } } } });
  const stateIn = (name: string, dims: number[]): onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  const stepBase: onnx.IModelProto = {
    ...withLoss,
    graph: {
      ...withLoss.graph,
      input: [...(withLoss.graph?.input ?? []), ...params.flatMap((p, i) => [stateIn(slots[i]?.m ?? '', p.dims), stateIn(slots[i]?.v ?? '', p.dims)]), scalarIn(lr), scalarIn(t)],
    },
  };
  const outputs = [loss, opt.gradNorm, ...io.slots.flatMap((s) => [s.pNext, s.mNext, s.vNext])];
  const step = assembleModel(stepBase, [grad, { nodes: oe.nodes, initializers: oe.initializers }], outputs, 'training_step');
  return { step, forward: fwd, params, initial, io, inputShapes: cfg.inputs, targetShape, output };
}
