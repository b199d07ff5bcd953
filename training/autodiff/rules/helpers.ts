// Small emission helpers shared by gradient rules: opset-aware reductions, summing a broadcast
// gradient back to an operand's shape, and static reshapes.
import type { Emitter } from '../emitter';
import type { GradContext } from './types';

/** ReduceSum over `axes` (axes as an input from opset 13). */
export function reduceSum(e: Emitter, x: string, axes: number[], keepdims: boolean): string {
  return e.op1('ReduceSum', [x, e.i64(axes)], { keepdims: keepdims ? 1 : 0 });
}

/** Sums gradient `g` (shape gShape) over broadcast axes so it has shape `xShape`. */
export function unbroadcast(e: Emitter, g: string, gShape: number[], xShape: number[]): string {
  const lead = gShape.length - xShape.length;
  const axes: number[] = [];
  gShape.forEach((d, i) => {
    const j = i - lead;
    if (j < 0 || (xShape[j] === 1 && d !== 1)) axes.push(i);
  });
  if (axes.length === 0 && lead === 0) return g;
  const r = axes.length > 0 ? reduceSum(e, g, axes, true) : g;
  return e.op1('Reshape', [r, e.i64(xShape)]);
}

/** Gradient of a binary broadcasting op's operand i, already multiplied through. */
export function toOperand(c: GradContext, g: string, gShape: number[], i: number): string {
  return unbroadcast(c.emit, g, gShape, c.shape(c.inputs[i] as string));
}

export function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}
