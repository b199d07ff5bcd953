// Gradients of element-wise operators: activations (Relu, LeakyRelu, PRelu, Sigmoid, Tanh, Clip),
// broadcasting arithmetic (Add, Sub, Mul, Div) and the ops losses are made of (Abs, Sqrt, Neg,
// Identity). Broadcast operands get their gradient summed back to their own shape.
import { toOperand } from './helpers';
import { attrFloat, type GradContext, type GradRule } from './types';

function gy(c: GradContext): string | null {
  return c.gradOut[0] ?? null;
}

const relu: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null];
  const e = c.emit;
  // Test the output (y > 0 iff x > 0) so the input stays private to Conv+Relu fusion.
  const pos = e.op1('Greater', [c.outputs[0] as string, e.scalar(0)]);
  return [e.op1('Where', [pos, g, e.scalar(0)], {}, 'relu_grad')];
};

const leakyRelu: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null];
  const e = c.emit;
  const alpha = attrFloat(c, 'alpha', 0.01);
  const pos = e.op1('Greater', [(alpha > 0 ? c.outputs[0] : c.inputs[0]) as string, e.scalar(0)]);
  const neg = e.op1('Mul', [g, e.scalar(alpha)]);
  return [e.op1('Where', [pos, g, neg], {}, 'leaky_grad')];
};

const prelu: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null, null];
  const e = c.emit;
  const [x, slope] = c.inputs as [string, string];
  const yShape = c.shape(c.outputs[0] as string);
  const pos = e.op1('Greater', [x, e.scalar(0)]);
  const out: (string | null)[] = [null, null];
  if (c.needs[0]) {
    const gs = toOperand(c, e.op1('Mul', [g, slope]), yShape, 0);
    out[0] = e.op1('Where', [pos, g, gs], {}, 'prelu_dx');
  }
  if (c.needs[1]) {
    const gx = e.op1('Where', [pos, e.scalar(0), e.op1('Mul', [g, x])]);
    out[1] = toOperand(c, gx, yShape, 1);
  }
  return out;
};

const sigmoid: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null];
  const e = c.emit;
  const y = c.outputs[0] as string;
  const d = e.op1('Mul', [y, e.op1('Sub', [e.scalar(1), y])]);
  return [e.op1('Mul', [g, d], {}, 'sigmoid_grad')];
};

const tanh: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null];
  const e = c.emit;
  const y = c.outputs[0] as string;
  const d = e.op1('Sub', [e.scalar(1), e.op1('Mul', [y, y])]);
  return [e.op1('Mul', [g, d], {}, 'tanh_grad')];
};

/** Clip: the gradient passes where min <= x <= max (bounds are inputs from opset 11, attributes before). */
const clip: GradRule = (c) => {
  const g = gy(c);
  const out: (string | null)[] = c.inputs.map(() => null);
  if (!g) return out;
  const e = c.emit;
  const x = c.inputs[0] as string;
  let mask: string | null = null;
  const lo = c.opset >= 11 ? c.inputs[1] || null : c.attrs.has('min') ? e.scalar(attrFloat(c, 'min', 0)) : null;
  const hi = c.opset >= 11 ? c.inputs[2] || null : c.attrs.has('max') ? e.scalar(attrFloat(c, 'max', 0)) : null;
  if (lo) mask = e.op1('GreaterOrEqual', [x, lo]);
  if (hi) {
    const m = e.op1('LessOrEqual', [x, hi]);
    mask = mask ? e.op1('And', [mask, m]) : m;
  }
  out[0] = mask ? e.op1('Where', [mask, g, e.scalar(0)], {}, 'clip_grad') : g;
  return out;
};

const add: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null, null];
  const ys = c.shape(c.outputs[0] as string);
  return [c.needs[0] ? toOperand(c, g, ys, 0) : null, c.needs[1] ? toOperand(c, g, ys, 1) : null];
};

const sub: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null, null];
  const ys = c.shape(c.outputs[0] as string);
  const neg = c.needs[1] ? c.emit.op1('Neg', [g]) : null;
  return [c.needs[0] ? toOperand(c, g, ys, 0) : null, neg ? toOperand(c, neg, ys, 1) : null];
};

const mul: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null, null];
  const e = c.emit;
  const [a, b] = c.inputs as [string, string];
  const ys = c.shape(c.outputs[0] as string);
  return [
    c.needs[0] ? toOperand(c, e.op1('Mul', [g, b]), ys, 0) : null,
    c.needs[1] ? toOperand(c, e.op1('Mul', [g, a]), ys, 1) : null,
  ];
};

const div: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null, null];
  const e = c.emit;
  const b = c.inputs[1] as string;
  const y = c.outputs[0] as string;
  const ys = c.shape(y);
  const ga = e.op1('Div', [g, b]);
  return [
    c.needs[0] ? toOperand(c, ga, ys, 0) : null,
    c.needs[1] ? toOperand(c, e.op1('Neg', [e.op1('Mul', [ga, y])]), ys, 1) : null,
  ];
};

const abs: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null];
  return [c.emit.op1('Mul', [g, c.emit.op1('Sign', [c.inputs[0] as string])], {}, 'abs_grad')];
};

const sqrt: GradRule = (c) => {
  const g = gy(c);
  if (!g) return [null];
  const e = c.emit;
  const twoY = e.op1('Mul', [c.outputs[0] as string, e.scalar(2)]);
  return [e.op1('Div', [g, twoY], {}, 'sqrt_grad')];
};

const neg: GradRule = (c) => {
  const g = gy(c);
  return [g ? c.emit.op1('Neg', [g]) : null];
};

const identity: GradRule = (c) => [gy(c)];

export const elementwiseRules: Record<string, GradRule> = {
  Relu: relu, LeakyRelu: leakyRelu, PRelu: prelu, Sigmoid: sigmoid, Tanh: tanh, Clip: clip,
  Add: add, Sub: sub, Mul: mul, Div: div, Abs: abs, Sqrt: sqrt, Neg: neg, Identity: identity,
};
