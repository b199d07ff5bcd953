// An ESRGAN layers model behind the evaluation's UpscaleModel interface (training/eval/evaluate.ts),
// so that it is scored by the same evalUpscale code as the project's own models: a whole CHW image
// in [0, 1] goes in as one NHWC batch scaled to the model's input range (8-bit pixel values for
// the 0-255 models, as UpscalerJS feeds them), and the output comes back as CHW divided by the
// output range (evalUpscale clips and rounds it to 8 bits like a saved file).
import type { Planar } from '../../../training/data/degrade';
import type { UpscaleModel } from '../../../training/eval/evaluate';
import type { EsrganModel } from './esrganPackages';
import type { Tf } from './tfjsWasm';

export class EsrganRunner implements UpscaleModel {
  readonly entry: UpscaleModel['entry'];

  constructor(private readonly tf: Tf, private readonly esrgan: EsrganModel) {
    this.entry = { id: esrgan.id, inputs: [{ role: 'image', channels: 3 }] };
  }

  async run(inputs: { image: Planar }): Promise<Planar> {
    const { c, h, w, data } = inputs.image;
    if (c !== 3) throw new Error(`${this.esrgan.id}: wants 3 channels, got ${c}`);
    const n = h * w, k = this.esrgan.inputMax;
    const hwc = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) for (let ch = 0; ch < 3; ch++) hwc[3 * i + ch] = (data[ch * n + i] as number) * k;
    const x = this.tf.tensor4d(hwc, [1, h, w, 3]);
    const y = this.esrgan.model.predict(x) as ReturnType<Tf['tensor4d']>;
    x.dispose();
    try {
      const [, oh, ow, oc] = y.shape;
      const s = this.esrgan.scale;
      if (oh !== h * s || ow !== w * s || oc !== 3) throw new Error(`${this.esrgan.id}: output ${ow}x${oh}x${oc}, expected ${w * s}x${h * s}x3`);
      const out = (await y.data()) as Float32Array;
      const m = oh * ow, inv = 1 / this.esrgan.outputMax, chw = new Float32Array(3 * m);
      for (let i = 0; i < m; i++) for (let ch = 0; ch < 3; ch++) chw[ch * m + i] = (out[3 * i + ch] as number) * inv;
      return { c: 3, h: oh, w: ow, data: chw };
    } finally {
      y.dispose();
    }
  }
}
