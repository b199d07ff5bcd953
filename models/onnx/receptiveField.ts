// Receptive field of an ONNX image model, computed from its graph: walks the nodes in order and
// tracks, for each spatial tensor, the interval of input pixels one of its pixels may depend on
// (relative to that pixel's position mapped into input coordinates) and the jump (input pixels per
// pixel of the tensor). Conv/ConvTranspose-free pooling, Pad, Resize, DepthToSpace/SpaceToDepth and
// element-wise ops are understood; anything that mixes positions globally (Reshape, reductions over
// H/W, MatMul on spatial data) is an error rather than a wrong number.
//
// The result is in INPUT pixels and conservative: `field` = 2 * margin + 1 where margin is the
// largest distance, over every output phase (stride and upsampling alignments), from an output
// pixel's position to an input pixel it depends on. Tiling with an overlap of `margin` on each side
// reproduces whole-image inference away from the image border.
import { nodeAttributes, type DecodedAttr } from './attributes';
import type { onnx } from './proto';
import { tensorDims, tensorNumbers } from './tensor';

interface Support {
  lo: number; // input pixels, relative to the pixel's mapped position
  hi: number;
  jump: number; // input pixels per pixel of this tensor
}

export interface ReceptiveField {
  /** Diameter in input pixels, 2 * margin + 1. */
  field: number;
  /** Context needed on each side of a tile, in input pixels. */
  margin: number;
  lo: number;
  hi: number;
  /** Input pixels per output pixel (1/scale for an upsampler). */
  jump: number;
}

const ELEMENTWISE = new Set([
  'Relu', 'LeakyRelu', 'PRelu', 'Sigmoid', 'Tanh', 'Clip', 'Identity', 'Add', 'Sub', 'Mul', 'Div', 'Concat',
  'Neg', 'Abs', 'Sqrt', 'Exp', 'Log', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Elu', 'Softplus', 'Where', 'Cast',
  'Split', 'Dropout', 'Erf', 'Reciprocal', 'Round', 'Floor', 'Ceil',
]);

function ints(attrs: Map<string, DecodedAttr>, name: string): number[] | null {
  const v = attrs.get(name);
  return Array.isArray(v) && (v.length === 0 || typeof v[0] === 'number') ? (v as number[]) : null;
}

function str(attrs: Map<string, DecodedAttr>, name: string, dflt: string): string {
  const v = attrs.get(name);
  return typeof v === 'string' ? v : dflt;
}

/** Worst case over H and W: the builder's architectures are square-kernel, but files may not be. */
function windowSupport(s: Support, kernel: number, stride: number, dil: number, padBegin: number): Support {
  return { lo: s.lo - padBegin * s.jump, hi: s.hi + ((kernel - 1) * dil - padBegin) * s.jump, jump: s.jump * stride };
}

function merge(a: Support, b: Support): Support {
  if (Math.abs(a.jump - b.jump) > 1e-9) {
    throw new Error(`tensors of different resolution (jump ${a.jump} vs ${b.jump}) meet in one element-wise op`);
  }
  return { lo: Math.min(a.lo, b.lo), hi: Math.max(a.hi, b.hi), jump: a.jump };
}

/**
 * Offsets (in input pixels, relative to q / scale) of the two taps of half_pixel linear resizing:
 * floor(u) and floor(u) + 1 with u = q/scale + c, c = 0.5/scale - 0.5. Exact over all phases when
 * the scale or its inverse is an integer (q/scale = m + r/scale), else the bound (c - 1, c + 1).
 */
function linearTaps(scale: number): [number, number] {
  const c = 0.5 / scale - 0.5;
  const phases = Number.isInteger(scale) ? scale : Number.isInteger(1 / scale) ? 1 : 0;
  if (phases === 0) return [c - 1, c + 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < phases; r++) {
    const f = Math.floor(r / scale + c + 1e-9) - r / scale;
    lo = Math.min(lo, f);
    hi = Math.max(hi, f + 1);
  }
  return [lo, hi];
}

/** Support along one spatial axis (index 0 = H, 1 = W). */
function walk(model: onnx.IModelProto, axis: 0 | 1): Support {
  const graph = model.graph;
  if (!graph) throw new Error('model has no graph');
  const inits = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const support = new Map<string, Support>();
  for (const i of graph.input ?? []) if (!inits.has(i.name ?? '')) support.set(i.name ?? '', { lo: 0, hi: 0, jump: 1 });

  for (const node of graph.node ?? []) {
    const op = node.opType ?? '';
    const ins = (node.input ?? []).map((n) => support.get(n)).filter((s): s is Support => s !== undefined);
    if (ins.length === 0) continue; // constants only
    const attrs = nodeAttributes(node);
    const x = ins[0] as Support;
    const where = `${op} node "${node.name ?? ''}"`;
    let out: Support;
    if (ELEMENTWISE.has(op)) {
      out = ins.reduce(merge);
    } else if (op === 'Conv' || op === 'AveragePool' || op === 'MaxPool') {
      const w = op === 'Conv' ? inits.get(node.input?.[1] ?? '') : undefined;
      const kernel = ints(attrs, 'kernel_shape')?.[axis] ?? (w ? tensorDims(w)[2 + axis] : undefined);
      if (kernel === undefined) throw new Error(`${where}: kernel size unknown`);
      const stride = ints(attrs, 'strides')?.[axis] ?? 1;
      const dil = ints(attrs, 'dilations')?.[axis] ?? 1;
      const pads = ints(attrs, 'pads');
      const autoPad = str(attrs, 'auto_pad', 'NOTSET');
      let pb = pads ? (pads[axis] ?? 0) : 0;
      if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') pb = Math.ceil(((kernel - 1) * dil) / 2);
      out = windowSupport(x, kernel, stride, dil, pb);
    } else if (op === 'ConvTranspose') {
      const w = inits.get(node.input?.[1] ?? '');
      const kernel = ints(attrs, 'kernel_shape')?.[axis] ?? (w ? tensorDims(w)[2 + axis] : undefined);
      if (kernel === undefined) throw new Error(`${where}: kernel size unknown`);
      const s = ints(attrs, 'strides')?.[axis] ?? 1;
      const dil = ints(attrs, 'dilations')?.[axis] ?? 1;
      const pb = ints(attrs, 'pads')?.[axis] ?? 0;
      // out[q] = sum over t of in[(q + pb - t*dil)/s] where divisible.
      const j = x.jump / s;
      out = { lo: x.lo + (pb - (kernel - 1) * dil) * j, hi: x.hi + pb * j, jump: j };
    } else if (op === 'SpaceToDepth') {
      const b = Number(attrs.get('blocksize'));
      out = windowSupport(x, b, b, 1, 0);
    } else if (op === 'DepthToSpace') {
      const b = Number(attrs.get('blocksize'));
      const j = x.jump / b;
      out = { lo: x.lo - (b - 1) * j, hi: x.hi, jump: j };
    } else if (op === 'Resize') {
      const scalesT = inits.get(node.input?.[2] ?? '');
      const scale = scalesT ? tensorNumbers(scalesT)[2 + axis] : undefined;
      if (scale === undefined) throw new Error(`${where}: only Resize with constant scales is supported`);
      const mode = str(attrs, 'mode', 'nearest');
      const j = x.jump / scale;
      if (mode === 'nearest') {
        // in index = floor(q / scale) (asymmetric/floor) or a rounding of it: within one input pixel.
        out = { lo: x.lo - x.jump, hi: x.hi + x.jump, jump: j };
        if (str(attrs, 'coordinate_transformation_mode', 'half_pixel') === 'asymmetric' && str(attrs, 'nearest_mode', 'round_prefer_floor') === 'floor') {
          out = { lo: x.lo - Math.max(0, 1 - 1 / scale) * x.jump, hi: x.hi, jump: j };
        }
      } else if (mode === 'linear') {
        const [lo, hi] = linearTaps(scale);
        out = { lo: x.lo + lo * x.jump, hi: x.hi + hi * x.jump, jump: j };
      } else throw new Error(`${where}: Resize mode ${mode} is not supported`);
    } else if (op === 'Pad') {
      const padsT = inits.get(node.input?.[1] ?? '');
      const pads = padsT ? tensorNumbers(padsT) : null;
      if (!pads) throw new Error(`${where}: only constant pads are supported`);
      const pb = pads[2 + axis] ?? 0;
      out = { lo: x.lo - pb * x.jump, hi: x.hi - pb * x.jump, jump: x.jump };
    } else if (op === 'Slice') {
      throw new Error(`${where}: Slice on spatial data is not supported by the receptive-field walk`);
    } else {
      throw new Error(`${where}: operator not understood by the receptive-field walk`);
    }
    for (const o of node.output ?? []) if (o) support.set(o, out);
  }
  const outName = graph.output?.[0]?.name ?? '';
  const s = support.get(outName);
  if (!s) throw new Error(`output "${outName}" does not depend on any input`);
  return s;
}

/** Receptive field of the model's first output with respect to its spatial inputs. */
export function receptiveField(model: onnx.IModelProto): ReceptiveField {
  const h = walk(model, 0);
  const w = walk(model, 1);
  const lo = Math.min(h.lo, w.lo);
  const hi = Math.max(h.hi, w.hi);
  const margin = Math.ceil(Math.max(-lo, hi) - 1e-9);
  return { field: 2 * margin + 1, margin, lo, hi, jump: h.jump };
}
