// Training losses emitted as ONNX nodes on top of a forward graph: L1, MSE and Charbonnier
// (sqrt(d^2 + eps^2), a smooth L1), each the mean over every element of prediction - target.
import type { Emitter } from '../autodiff/emitter';

export type LossKind = 'l1' | 'mse' | 'charbonnier';
export const LOSS_KINDS: readonly LossKind[] = ['l1', 'mse', 'charbonnier'];

/** Emits the loss of `pred` against `target`; returns the scalar loss value's name. */
export function emitLoss(e: Emitter, kind: LossKind, pred: string, target: string, charbonnierEps = 1e-3): string {
  const d = e.op1('Sub', [pred, target], {}, 'diff');
  let per: string;
  switch (kind) {
    case 'l1': per = e.op1('Abs', [d]); break;
    case 'mse': per = e.op1('Mul', [d, d]); break;
    case 'charbonnier': per = e.op1('Sqrt', [e.op1('Add', [e.op1('Mul', [d, d]), e.scalar(charbonnierEps * charbonnierEps)])]); break;
  }
  return e.op1('ReduceMean', [per], { keepdims: 0 }, 'loss');
}
