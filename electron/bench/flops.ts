// The arithmetic a model does per input pixel, counted from its ONNX graph: 2 flops per
// multiply-add of every Conv and ConvTranspose (training/benchmark.ts convMacsOf), with shapes
// from the builder's shape rules (or one execution when they leave something unknown), on a
// square input of `side` pixels. Elementwise ops, resizes and pixel shuffles are not counted:
// the roofline fraction of the inference rows is about convolution throughput.
import { promises as fs } from 'node:fs';
import type { ManifestEntry } from '../../models/manifest';
import { onnx } from '../../models/onnx/proto';
import { convMacsOf } from '../../training/benchmark';
import { inferTensorInfo } from '../../training/autodiff/shapes';

/** Conv/ConvTranspose flops per input pixel of the model in `file` (the manifest gives its inputs). */
export async function convFlopsPerPixel(file: string, entry: ManifestEntry, side = 256): Promise<number> {
  const model = onnx.ModelProto.decode(await fs.readFile(file));
  const s = Math.ceil(side / entry.multipleOf) * entry.multipleOf;
  const inputs = Object.fromEntries(entry.inputs.map((i) => [i.name, { dims: [1, i.channels, s, s] }]));
  const info = await inferTensorInfo(model, inputs);
  return (2 * convMacsOf(model, info).forward) / (s * s);
}
