// ONNX node attributes from plain JS values. A bare number is encoded as INT when it is an integer,
// unless the attribute name is a known float attribute (alpha, epsilon, ...); wrap with float() /
// floats() to force FLOAT(S) for other names. Also decodes attributes back to JS values.
import { onnx, toNumber } from './proto';

export interface FloatAttr { readonly kind: 'float'; readonly value: number }
export interface FloatsAttr { readonly kind: 'floats'; readonly value: readonly number[] }
export interface TensorAttr { readonly kind: 'tensor'; readonly value: onnx.ITensorProto }

export type AttrValue = number | number[] | string | string[] | Float32Array | FloatAttr | FloatsAttr | TensorAttr;
export type Attrs = Record<string, AttrValue | undefined>;

export const float = (value: number): FloatAttr => ({ kind: 'float', value });
export const floats = (value: readonly number[]): FloatsAttr => ({ kind: 'floats', value });
export const tensorAttr = (value: onnx.ITensorProto): TensorAttr => ({ kind: 'tensor', value });

/** Attributes that ONNX declares as FLOAT/FLOATS, across the operators this project uses. */
const FLOAT_NAMES = new Set([
  'alpha', 'beta', 'gamma', 'epsilon', 'momentum', 'bias', 'lambd', 'ratio', 'spatial_scale',
  'cubic_coeff_a', 'extrapolation_value', 'value_float', 'value_floats', 'scales', 'seed', 'mean', 'scale',
  'low', 'high', 'min', 'max',
]);

const T = onnx.AttributeProto.AttributeType;

export function encodeAttribute(name: string, v: AttrValue): onnx.IAttributeProto {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && !FLOAT_NAMES.has(name)) return { name, type: T.INT, i: v };
    return { name, type: T.FLOAT, f: v };
  }
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (v instanceof Float32Array) return { name, type: T.FLOATS, floats: Array.from(v) };
  if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'string') {
      return { name, type: T.STRINGS, strings: (v as string[]).map((s) => new TextEncoder().encode(s)) };
    }
    const nums = v as number[];
    if (nums.every((x) => Number.isInteger(x)) && !FLOAT_NAMES.has(name)) return { name, type: T.INTS, ints: nums };
    return { name, type: T.FLOATS, floats: nums };
  }
  switch (v.kind) {
    case 'float': return { name, type: T.FLOAT, f: v.value };
    case 'floats': return { name, type: T.FLOATS, floats: [...v.value] };
    case 'tensor': return { name, type: T.TENSOR, t: v.value };
  }
}

export type DecodedAttr = number | number[] | string | string[] | onnx.ITensorProto | null;

/** Decodes one attribute to a JS value (ints and floats as numbers). */
export function decodeAttribute(a: onnx.IAttributeProto): DecodedAttr {
  switch (a.type) {
    case T.INT: return toNumber(a.i);
    case T.FLOAT: return a.f ?? 0;
    case T.INTS: return (a.ints ?? []).map((x) => toNumber(x));
    case T.FLOATS: return [...(a.floats ?? [])];
    case T.STRING: return new TextDecoder().decode(a.s ?? new Uint8Array());
    case T.STRINGS: return (a.strings ?? []).map((s) => new TextDecoder().decode(s));
    case T.TENSOR: return a.t ?? null;
    default: return null;
  }
}

/** Reads a node's attributes into a name -> value map. */
export function nodeAttributes(node: onnx.INodeProto): Map<string, DecodedAttr> {
  return new Map((node.attribute ?? []).map((a) => [a.name ?? '', decodeAttribute(a)]));
}
