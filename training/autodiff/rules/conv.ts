// Gradients of Conv and ConvTranspose (any spatial rank, stride, padding, dilation, groups).
// Conv input gradient: a Conv of the output gradient with transposed, spatially flipped weights
// when the stride is 1 (faster than ConvTranspose on CPU), else a ConvTranspose with the same
// weights. Weight gradients come from ./weightGrad; bias gradients are sums over batch and space.
import { reduceSum } from './helpers';
import { weightGradient, type WindowParams } from './weightGrad';
import { AutodiffError, attrInt, attrInts, attrString, type GradContext, type GradRule } from './types';

/** Resolves strides, dilations and explicit begin/end pads (auto_pad included) from static shapes. */
function windowParams(c: GradContext, inShape: number[], outShape: number[], kernel: number[], transposed: boolean): WindowParams {
  const r = kernel.length;
  const strides = attrInts(c, 'strides', Array(r).fill(1));
  const dilations = attrInts(c, 'dilations', Array(r).fill(1));
  const group = attrInt(c, 'group', 1);
  const autoPad = attrString(c, 'auto_pad', 'NOTSET');
  let pads = attrInts(c, 'pads', Array(2 * r).fill(0));
  if (transposed && c.attrs.has('output_shape')) throw new AutodiffError(c.node, 'output_shape is not supported; give pads');
  if (autoPad === 'VALID') pads = Array(2 * r).fill(0);
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    pads = Array(2 * r).fill(0);
    for (let i = 0; i < r; i++) {
      const s = strides[i] ?? 1, d = dilations[i] ?? 1, k = kernel[i] ?? 1;
      const inD = inShape[i + 2] ?? 1, outD = outShape[i + 2] ?? 1;
      const total = transposed
        ? Math.max(0, s * (inD - 1) + (k - 1) * d + 1 - outD)
        : Math.max(0, (outD - 1) * s + (k - 1) * d + 1 - inD);
      const small = Math.floor(total / 2);
      const begin = autoPad === 'SAME_UPPER' ? small : total - small;
      pads[i] = begin;
      pads[i + r] = total - begin;
    }
  }
  return { strides, dilations, group, pads, kernel };
}

/** W (Co, Ci/g, k...) -> (Ci, Co/g, k...) with every spatial axis reversed. */
function flipTransposeWeights(c: GradContext, w: string, wShape: number[], group: number): string {
  const e = c.emit;
  const [co, cig, ...k] = wShape as [number, number, ...number[]];
  const r = k.length;
  const sp = k.map((_, i) => i + 2);
  let t: string;
  if (group === 1) t = e.op1('Transpose', [w], { perm: [1, 0, ...sp] });
  else {
    const g5 = e.op1('Reshape', [w, e.i64([group, co / group, cig, ...k])]);
    const tr = e.op1('Transpose', [g5], { perm: [0, 2, 1, ...sp.map((a) => a + 1)] });
    t = e.op1('Reshape', [tr, e.i64([cig * group, co / group, ...k])]);
  }
  return e.op1('Slice', [t, e.i64(Array(r).fill(-1)), e.i64(k.map((x) => -(x + 1))), e.i64(sp), e.i64(Array(r).fill(-1))], {}, 'flip');
}

/** Gradient of a Conv/ConvTranspose input through the adjoint window operator. */
function convInputGrad(c: GradContext, g: string, w: string, wShape: number[], p: WindowParams, xShape: number[], gShape: number[]): string {
  const e = c.emit;
  const r = p.kernel.length;
  const ext = p.kernel.map((k, i) => (p.dilations[i] ?? 1) * (k - 1));
  const padsConv = [...ext.map((x, i) => x - (p.pads[i] ?? 0)), ...ext.map((x, i) => x - (p.pads[i + r] ?? 0))];
  const unitStride = p.strides.every((s) => s === 1);
  if (c.options.inputGradAsConv && unitStride && padsConv.every((x) => x >= 0)) {
    const wf = flipTransposeWeights(c, w, wShape, p.group);
    return e.op1('Conv', [g, wf], { pads: padsConv, dilations: p.dilations, group: p.group, kernel_shape: p.kernel }, 'conv_dx');
  }
  const outputPadding = p.kernel.map((k, i) => {
    const s = p.strides[i] ?? 1, d = p.dilations[i] ?? 1;
    return (xShape[i + 2] ?? 0) - (s * ((gShape[i + 2] ?? 0) - 1) + d * (k - 1) + 1 - (p.pads[i] ?? 0) - (p.pads[i + r] ?? 0));
  });
  if (outputPadding.some((o, i) => o < 0 || o >= Math.max(p.strides[i] ?? 1, p.dilations[i] ?? 1))) {
    throw new AutodiffError(c.node, `input gradient needs output_padding ${outputPadding.join(',')} outside ONNX's range`);
  }
  return e.op1('ConvTranspose', [g, w], {
    strides: p.strides, dilations: p.dilations, group: p.group, pads: p.pads, kernel_shape: p.kernel,
    output_padding: outputPadding.some((o) => o > 0) ? outputPadding : undefined,
  }, 'conv_dx');
}

function biasGrad(c: GradContext, g: string, rank: number): string {
  return reduceSum(c.emit, g, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)], false);
}

const conv: GradRule = (c) => {
  const g = c.gradOut[0];
  const out: (string | null)[] = c.inputs.map(() => null);
  if (!g) return out;
  const [x, w] = c.inputs as [string, string];
  const xShape = c.shape(x), wShape = c.shape(w), yShape = c.shape(c.outputs[0] as string);
  const p = windowParams(c, xShape, yShape, wShape.slice(2), false);
  if (c.needs[0]) out[0] = convInputGrad(c, g, w, wShape, p, xShape, yShape);
  if (c.needs[1]) out[1] = weightGradient(c, x, xShape, g, yShape, p, wShape);
  if (c.needs[2] && c.inputs[2]) out[2] = biasGrad(c, g, yShape.length);
  return out;
};

const convTranspose: GradRule = (c) => {
  const g = c.gradOut[0];
  const out: (string | null)[] = c.inputs.map(() => null);
  if (!g) return out;
  const e = c.emit;
  const [x, w] = c.inputs as [string, string];
  const xShape = c.shape(x), wShape = c.shape(w), yShape = c.shape(c.outputs[0] as string);
  const p = windowParams(c, xShape, yShape, wShape.slice(2), true);
  if (c.needs[0]) {
    out[0] = e.op1('Conv', [g, w], {
      strides: p.strides, dilations: p.dilations, group: p.group, pads: p.pads, kernel_shape: p.kernel,
    }, 'convT_dx');
  }
  // y = ConvTranspose(x, W) is the adjoint of a Conv from y-space to x-space with the same weights,
  // so dW is that Conv's weight gradient with the roles of input and output gradient swapped.
  if (c.needs[1]) out[1] = weightGradient(c, g, yShape, x, xShape, p, wShape);
  if (c.needs[2] && c.inputs[2]) out[2] = biasGrad(c, g, yShape.length);
  return out;
};

export const convRules: Record<string, GradRule> = { Conv: conv, ConvTranspose: convTranspose };
