// Test helper: measures a model's receptive field numerically. Perturbs single input pixels of the
// first input and records the farthest changed output pixel, as a distance in input pixels from the
// output pixel's position (q / scale). Used by the receptive-field tests; runs real ORT sessions.
import * as ort from 'onnxruntime-node';
import type { onnx } from '../onnx/proto';
import { serializeModel } from '../onnx/serialize';

export interface ProbeModel {
  model: onnx.IModelProto;
  inputs: { name: string; channels: number }[];
  output: { name: string };
}

export function pseudoRandom(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  });
}

function feeds(m: ProbeModel, size: number, first: Float32Array): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  m.inputs.forEach((inp, i) => {
    out[inp.name] = new ort.Tensor('float32', i === 0 ? first : pseudoRandom(inp.channels * size * size, 99 + i), [1, inp.channels, size, size]);
  });
  return out;
}

/** Largest |input pixel - output position| over the output pixels each perturbed pixel changes. */
export async function probeMargin(m: ProbeModel, size: number, positions: [number, number][], scale = 1): Promise<number> {
  const c = m.inputs[0]?.channels ?? 1;
  const base = pseudoRandom(c * size * size, 7);
  const session = await ort.InferenceSession.create(serializeModel(m.model), { intraOpNumThreads: 2 });
  try {
    const ref = (await session.run(feeds(m, size, base)))[m.output.name];
    if (!ref) throw new Error(`output ${m.output.name} missing`);
    const [, oc, oh, ow] = ref.dims as [number, number, number, number];
    const refData = ref.data as Float32Array;
    let margin = 0;
    for (const [py, px] of positions) {
      const x = base.slice();
      for (let ch = 0; ch < c; ch++) x[(ch * size + py) * size + px] = (x[(ch * size + py) * size + px] ?? 0) + 1;
      const got = (await session.run(feeds(m, size, x)))[m.output.name]?.data as Float32Array;
      for (let ch = 0; ch < oc; ch++) {
        for (let y = 0; y < oh; y++) {
          for (let xx = 0; xx < ow; xx++) {
            const i = (ch * oh + y) * ow + xx;
            if (Math.abs((got[i] ?? 0) - (refData[i] ?? 0)) > 1e-9) {
              margin = Math.max(margin, Math.abs(py - y / scale), Math.abs(px - xx / scale));
            }
          }
        }
      }
    }
    return margin;
  } finally {
    await session.release();
  }
}
