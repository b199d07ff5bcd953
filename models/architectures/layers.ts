// Building blocks shared by the architectures: a parameter store that creates seeded (or supplied)
// trainable initializers, counts parameters and reports unused or mis-sized supplied weights, and a
// conv layer on top of it. Names follow "<layer>.weight" / "<layer>.bias".
import type { GraphBuilder, Value } from '../onnx/graph';
import { receptiveField } from '../onnx/receptiveField';
import { heNormal, InitRng } from './init';
import type { ArchitectureResult, CommonOptions, ModelInputSpec, ModelOutputSpec } from './types';

export class Params {
  private readonly rng: InitRng;
  private readonly used = new Set<string>();
  count = 0;

  constructor(readonly g: GraphBuilder, private readonly opts: CommonOptions) {
    this.rng = new InitRng(opts.seed);
  }

  /** A trainable float32 initializer; `init` runs (always, to keep the random stream stable) unless weights are supplied. */
  param(name: string, dims: number[], init: (rng: InitRng, n: number) => Float32Array): Value {
    const n = dims.reduce((a, b) => a * b, 1);
    const generated = init(this.rng, n);
    const supplied = this.opts.weights?.get(name);
    if (supplied && supplied.length !== n) {
      throw new Error(`weights for ${name}: ${supplied.length} values given, [${dims.join(', ')}] = ${n} expected`);
    }
    this.used.add(name);
    this.count += n;
    return this.g.initializer(name, supplied ?? generated, dims, { trainable: true });
  }

  /** Throws if supplied weights name parameters this architecture does not have. */
  checkAllUsed(): void {
    const unused = [...(this.opts.weights?.keys() ?? [])].filter((k) => !this.used.has(k));
    if (unused.length > 0) throw new Error(`weights not used by the architecture: ${unused.slice(0, 5).join(', ')}${unused.length > 5 ? ', ...' : ''}`);
  }
}

export interface ConvLayerOptions {
  kernel?: number;
  stride?: number;
  dilation?: number;
  /** Default true. */
  bias?: boolean;
  /** Multiplies the He std (e.g. small for a residual head so the net starts near identity). */
  gain?: number;
}

/** k x k convolution with "same" padding (for stride 1), He-normal weights and zero bias. */
export function convLayer(p: Params, x: Value, name: string, cin: number, cout: number, o: ConvLayerOptions = {}): Value {
  const k = o.kernel ?? 3;
  const dil = o.dilation ?? 1;
  const pad = Math.floor(((k - 1) * dil) / 2);
  const w = p.param(`${name}.weight`, [cout, cin, k, k], (rng, n) => heNormal(rng, n, cin * k * k, o.gain ?? 1));
  const b = o.bias === false ? null : p.param(`${name}.bias`, [cout], (_r, n) => new Float32Array(n));
  const stride = o.stride ?? 1;
  return p.g.conv(x, w, b, {
    pads: [pad, pad, pad, pad],
    ...(stride !== 1 ? { strides: [stride, stride] } : {}),
    ...(dil !== 1 ? { dilations: [dil, dil] } : {}),
    name: p.g.uniqueName(name),
  });
}

/** Conv followed by ReLU. */
export function convRelu(p: Params, x: Value, name: string, cin: number, cout: number, o: ConvLayerOptions = {}): Value {
  return p.g.relu(convLayer(p, x, name, cin, cout, o), p.g.uniqueName(`${name}.relu`));
}

/** Declares the output, builds the model and fills in the shared result fields. */
export function finish(
  p: Params, out: Value, inputs: ModelInputSpec[], output: ModelOutputSpec, outShape: (number | string)[], multipleOf: number,
): ArchitectureResult {
  p.checkAllUsed();
  p.g.output(out, output.name, outShape);
  const model = p.g.build();
  return { model, parameters: p.count, receptiveField: receptiveField(model).field, multipleOf, inputs, output };
}
