// Training losses emitted as ONNX nodes on top of a forward graph: L1, MSE and Charbonnier
// (sqrt(d^2 + eps^2), a smooth L1), each the mean over every element of prediction - target; and
// for colourization 'l1-chroma', L1 on ab weighted per pixel by 1 + k * the target's chroma (k =
// CHROMA_WEIGHT unless the run sets another) (sqrt(a^2 + b^2) in ab/128 units): plain L1/L2 drift to the desaturated (brown) average
// of the plausible colours, and weighting the rarer saturated pixels up counters that, like the
// class rebalancing of Zhang et al. 2016, without a classification head. The weights depend only
// on the target, so no gradient flows through them. 'mask-mse' (damage detection): squared error
// of the predicted probability weighted by 1 + MASK_POSITIVE_WEIGHT on damage pixels, which are
// a few percent of a photo (without the weight the detector learns to mark nothing).
import type { Emitter } from '../autodiff/emitter';

export type LossKind = 'l1' | 'mse' | 'charbonnier' | 'l1-chroma' | 'mask-mse';
export const LOSS_KINDS: readonly LossKind[] = ['l1', 'mse', 'charbonnier', 'l1-chroma', 'mask-mse'];
/** 'mask-mse': weight of a damage pixel = 1 + MASK_POSITIVE_WEIGHT. */
export const MASK_POSITIVE_WEIGHT = 9;
/** 'l1-chroma': weight = 1 + CHROMA_WEIGHT * chroma (a pixel of chroma 0.4, e.g. a red fruit, counts 2.6x). */
export const CHROMA_WEIGHT = 4;

/** Emits the loss of `pred` against `target`; returns the scalar loss value's name. */
export function emitLoss(
  e: Emitter, kind: LossKind, pred: string, target: string,
  { charbonnierEps = 1e-3, chromaWeight = CHROMA_WEIGHT }: { charbonnierEps?: number; chromaWeight?: number } = {},
): string {
  const d = e.op1('Sub', [pred, target], {}, 'diff');
  let per: string;
  switch (kind) {
    case 'l1': per = e.op1('Abs', [d]); break;
    case 'mse': per = e.op1('Mul', [d, d]); break;
    case 'charbonnier': per = e.op1('Sqrt', [e.op1('Add', [e.op1('Mul', [d, d]), e.scalar(charbonnierEps * charbonnierEps)])]); break;
    case 'l1-chroma': {
      const sq = e.op1('Mul', [target, target]);
      const chroma = e.op1('Sqrt', [e.op1('ReduceSum', [sq, e.i64([1])], { keepdims: 1 })]);
      const w = e.op1('Add', [e.scalar(1), e.op1('Mul', [chroma, e.scalar(chromaWeight)])]);
      per = e.op1('Mul', [e.op1('Abs', [d]), w]);
      break;
    }
    case 'mask-mse': {
      const w = e.op1('Add', [e.scalar(1), e.op1('Mul', [target, e.scalar(MASK_POSITIVE_WEIGHT)])]);
      per = e.op1('Mul', [e.op1('Mul', [d, d]), w]);
      break;
    }
  }
  return e.op1('ReduceMean', [per], { keepdims: 0 }, 'loss');
}
