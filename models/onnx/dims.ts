// Symbolic dimension arithmetic for shape inference: a dimension is a number when known, else a
// string (an ONNX dim_param such as "H", or an expression derived from one such as "ceil(H/2)").
// Numbers are computed exactly; strings are passed through when an op preserves the dimension and
// otherwise combined into a readable expression (informative only; ONNX Runtime does not parse it).
export type Dim = number | string;
export type Shape = Dim[];

function wrap(d: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(d) || /^(ceil|floor)\(.*\)$/.test(d) ? d : `(${d})`;
}

/** d + k */
export function addDim(d: Dim, k: number): Dim {
  if (typeof d === 'number') return d + k;
  if (k === 0) return d;
  return k > 0 ? `${wrap(d)}+${k}` : `${wrap(d)}-${-k}`;
}

/** d * k */
export function mulDim(d: Dim, k: number): Dim {
  if (typeof d === 'number') return d * k;
  if (k === 1) return d;
  return `${wrap(d)}*${k}`;
}

/** floor(d / k), or ceil when `ceil` is set. */
export function divDim(d: Dim, k: number, ceil = false): Dim {
  if (typeof d === 'number') return ceil ? Math.ceil(d / k) : Math.floor(d / k);
  if (k === 1) return d;
  return `${ceil ? 'ceil' : 'floor'}(${wrap(d)}/${k})`;
}

/** Product of dims (for Reshape's -1 and element counts); a string if any dim is symbolic. */
export function productDims(dims: Dim[]): Dim {
  let n = 1;
  const syms: string[] = [];
  for (const d of dims) {
    if (typeof d === 'number') n *= d;
    else syms.push(wrap(d));
  }
  if (syms.length === 0) return n;
  return (n === 1 ? syms : [String(n), ...syms]).join('*');
}

/**
 * Output length of a sliding window (Conv, pooling): floor((d + padTotal - dil*(k-1) - 1)/s) + 1,
 * written as ceil(d/s) or floor(d/s) when it reduces to one of those.
 */
export function windowDim(d: Dim, kernel: number, stride: number, padTotal: number, dilation = 1, ceilMode = false): Dim {
  const c = padTotal - dilation * (kernel - 1) - 1;
  if (typeof d === 'number') {
    const q = ceilMode ? Math.ceil((d + c) / stride) : Math.floor((d + c) / stride);
    return q + 1;
  }
  if (stride === 1) return addDim(d, c + 1);
  // floor((d + c)/s) + 1 == floor((d + c + s)/s)
  const off = c + stride;
  if (!ceilMode && off === stride - 1) return divDim(d, stride, true);
  if (!ceilMode && off === 0) return divDim(d, stride, false);
  if (ceilMode && off === 0) return divDim(d, stride, true);
  return divDim(addDim(d, off), stride, ceilMode);
}

export function formatShape(shape: Shape | null): string {
  return shape === null ? '[?]' : `[${shape.join(', ')}]`;
}
