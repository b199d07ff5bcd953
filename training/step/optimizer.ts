// Adam and AdamW with gradient clipping by global norm, emitted as ONNX nodes in the training-step
// graph. Inputs per parameter p: p, its first and second moments m and v; scalar inputs: learning
// rate and step number t (1-based, float). Outputs: updated p, m, v and the global gradient norm
// (before clipping). Bias correction is folded into the step size: alpha = lr sqrt(1 - b2^t) /
// (1 - b1^t) and eps' = eps sqrt(1 - b2^t), exactly equivalent to the textbook update.
import type { Emitter } from '../autodiff/emitter';

export interface OptimizerConfig {
  kind: 'adam' | 'adamw';
  beta1: number;
  beta2: number;
  eps: number;
  /** Adam: L2 term added to the gradient; AdamW: decoupled decay lr * wd * p. */
  weightDecay: number;
  /** Clip the global gradient norm to this value; 0 disables clipping. */
  clipNorm: number;
}

export const DEFAULT_OPTIMIZER: OptimizerConfig = { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, clipNorm: 0 };

export interface ParamSlot { param: string; grad: string; m: string; v: string }

export interface OptimizerOutputs { gradNorm: string; next: Map<string, { p: string; m: string; v: string }> }

export function emitOptimizer(e: Emitter, cfg: OptimizerConfig, slots: ParamSlot[], lr: string, t: string): OptimizerOutputs {
  const sq = slots.map((s) => e.op1('ReduceSumSquare', [s.grad], { keepdims: 0 }, 'gsq'));
  const total = sq.length === 1 ? sq[0] as string : e.op1('Sum', sq, {}, 'gsq_total');
  const gradNorm = e.op1('Sqrt', [total], {}, 'grad_norm');
  let scale: string | null = null;
  if (cfg.clipNorm > 0) {
    const ratio = e.op1('Div', [e.scalar(cfg.clipNorm), e.op1('Add', [gradNorm, e.scalar(1e-6)])]);
    scale = e.op1('Min', [ratio, e.scalar(1)], {}, 'clip_scale');
  }
  const c1 = e.op1('Sub', [e.scalar(1), e.op1('Pow', [e.scalar(cfg.beta1), t])], {}, 'bc1');
  const c2 = e.op1('Sqrt', [e.op1('Sub', [e.scalar(1), e.op1('Pow', [e.scalar(cfg.beta2), t])])], {}, 'bc2');
  const alpha = e.op1('Div', [e.op1('Mul', [lr, c2]), c1], {}, 'alpha');
  const epsHat = e.op1('Mul', [c2, e.scalar(cfg.eps)], {}, 'eps_hat');
  const decay = cfg.kind === 'adamw' && cfg.weightDecay > 0 ? e.op1('Mul', [lr, e.scalar(cfg.weightDecay)], {}, 'decay') : null;
  const next = new Map<string, { p: string; m: string; v: string }>();
  for (const s of slots) {
    let g = scale ? e.op1('Mul', [s.grad, scale]) : s.grad;
    if (cfg.kind === 'adam' && cfg.weightDecay > 0) g = e.op1('Add', [g, e.op1('Mul', [s.param, e.scalar(cfg.weightDecay)])]);
    const m = e.op1('Add', [e.op1('Mul', [s.m, e.scalar(cfg.beta1)]), e.op1('Mul', [g, e.scalar(1 - cfg.beta1)])], {}, 'm_next');
    const v = e.op1('Add', [e.op1('Mul', [s.v, e.scalar(cfg.beta2)]), e.op1('Mul', [e.op1('Mul', [g, g]), e.scalar(1 - cfg.beta2)])], {}, 'v_next');
    const upd = e.op1('Div', [e.op1('Mul', [m, alpha]), e.op1('Add', [e.op1('Sqrt', [v]), epsHat])]);
    let p = e.op1('Sub', [s.param, upd]);
    if (decay) p = e.op1('Sub', [p, e.op1('Mul', [s.param, decay])]);
    next.set(s.param, { p: e.op1('Identity', [p], {}, 'p_next'), m, v });
  }
  return { gradNorm, next };
}
