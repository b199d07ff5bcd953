// Exports a training run as a self-contained "job" folder that training/accelerator/run_job.py
// executes on a machine with a GPU but without Node or onnxruntime's CUDA provider (PyTorch runs
// this module's own step graph there, op by op). The folder holds:
//   step.onnx               the training-step model (checked against onnxruntime where present);
//   graph.json + graph.bin  the same model (forward, loss, backward, Adam) as plain JSON
//                           nodes and raw little-endian initializers: no onnx package needed;
//   job.json                the task, batch shapes, degradations, schedule, input roles, the
//                           training files (relative to the data folder) and the run's configKey;
//   init.ckpt               the starting weights and Adam state (training/checkpoint.ts format),
//                           or init-params.bin (weights only, float32 in job order) for a fresh run;
//   holes.bin.gz            inpaint jobs: a bank of training holes drawn here (holeBank.ts);
//   damage.bin.gz           detect-damage jobs: a bank of damage overlays drawn here (damageBank.ts);
//   check.json [+ check.bin] one reference step computed here by ONNX Runtime (loss, gradient
//                           norm and, when small enough, the batch and the updated first Adam moments), so the
//                           executor is checked against ONNX Runtime before it trains.
// The GPU run writes a checkpoint in the same format; `restore train --resume` of the same
// configuration here then validates and publishes it like any other run.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { decodeAttribute } from '../../models/onnx/attributes';
import { serializeModel } from '../../models/onnx/serialize';
import type { onnx } from '../../models/onnx/proto';
import { readTensor, tensorDims, tensorDType } from '../../models/onnx/tensor';
import type { StepModel } from '../step/buildStep';
import type { Batch, TrainSession } from '../step/session';
import type { LrSchedule } from '../step/schedule';
import type { TaskConfig } from '../data/tasks';
import { COLOR_AUG_SATURATION } from '../data/augment';
import { writeCheckpoint, type Checkpoint } from '../checkpoint';
import { writeHoleBank } from './holeBank';
import { writeDamageBank } from './damageBank';
import { DEFAULT_DAMAGE_MIX } from '../data/damageSample';

/** Reference batches larger than this are not written (the GPU side checks against onnxruntime). */
const MAX_CHECK_BYTES = 8 * 1024 * 1024;

export interface JobSpec {
  dir: string;
  step: StepModel;
  cfg: TaskConfig;
  batch: number;
  seed: number;
  schedule: LrSchedule;
  dataRoot: string;
  trainFiles: string[];
  configKey: string;
  checkpoint: Checkpoint;
  loss: string;
}

interface JsonNode { op: string; name: string; inputs: string[]; outputs: string[]; attrs: Record<string, unknown> }
interface JsonTensor { name: string; dtype: string; dims: number[]; offset: number; bytes: number }

function tensorBytes(t: onnx.ITensorProto): Uint8Array {
  const d = readTensor(t);
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** Plain-JSON form of a Constant's or attribute's tensor (small tensors only). */
function tensorJson(t: onnx.ITensorProto): { dtype: string; dims: number[]; data: number[] } {
  const d = readTensor(t);
  const data = d instanceof BigInt64Array ? Array.from(d, (v) => Number(v)) : Array.from(d);
  return { dtype: tensorDType(t), dims: tensorDims(t), data };
}

/** The model's graph as JSON nodes plus one binary blob of initializers. */
export function graphToJson(model: onnx.IModelProto): { json: object; bin: Buffer } {
  const g = model.graph ?? {};
  const blobs: Uint8Array[] = [];
  const inits: JsonTensor[] = [];
  let offset = 0;
  for (const t of g.initializer ?? []) {
    const b = tensorBytes(t);
    inits.push({ name: t.name ?? '', dtype: tensorDType(t), dims: tensorDims(t), offset, bytes: b.byteLength });
    blobs.push(b);
    offset += b.byteLength;
  }
  const nodes: JsonNode[] = (g.node ?? []).map((n) => ({
    op: n.opType ?? '',
    name: n.name ?? '',
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
    attrs: Object.fromEntries((n.attribute ?? []).map((a) => {
      const v = decodeAttribute(a);
      const isTensor = v !== null && typeof v === 'object' && !Array.isArray(v);
      return [a.name ?? '', isTensor ? tensorJson(v) : v];
    })),
  }));
  const opset = (model.opsetImport ?? []).find((o) => !o.domain)?.version;
  const json = {
    opset: opset === undefined || opset === null ? null : Number(opset),
    inputs: (g.input ?? []).map((i) => i.name ?? ''),
    outputs: (g.output ?? []).map((o) => o.name ?? ''),
    initializers: inits,
    nodes,
  };
  return { json, bin: Buffer.concat(blobs) };
}

function concatFloats(arrays: Float32Array[]): Buffer {
  return Buffer.concat(arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
}

/** Writes the job folder; runs one reference step on `session` (its state is not kept by the caller). */
export async function writeJob(spec: JobSpec, session: TrainSession, refBatch: Batch, refLr: number): Promise<string[]> {
  await fs.mkdir(spec.dir, { recursive: true });
  const { json, bin } = graphToJson(spec.step.step);
  await fs.writeFile(path.join(spec.dir, 'graph.json'), JSON.stringify(json));
  await fs.writeFile(path.join(spec.dir, 'graph.bin'), bin);
  await fs.writeFile(path.join(spec.dir, 'step.onnx'), serializeModel(spec.step.step));
  // A fresh run ships its initial weights only (Adam moments are zero): a third of the bytes.
  const fresh = spec.checkpoint.meta.step === 0;
  if (fresh) await fs.writeFile(path.join(spec.dir, 'init-params.bin'), concatFloats(spec.step.params.map((p) => spec.checkpoint.state.params.get(p.name) as Float32Array)));
  else await writeCheckpoint(path.join(spec.dir, 'init.ckpt'), spec.checkpoint);
  const sm = spec.step;
  // The +1 keeps the bank's generator apart from the reference batch's.
  const holeBank = spec.cfg.task === 'inpaint' ? await writeHoleBank(path.join(spec.dir, 'holes.bin.gz'), spec.cfg.patch, spec.seed + 1, spec.cfg.damage) : null;
  const detector = spec.cfg.task === 'detect-damage';
  const damageMix = spec.cfg.damageMix ?? DEFAULT_DAMAGE_MIX;
  const damageBank = detector ? await writeDamageBank(path.join(spec.dir, 'damage.bin.gz'), spec.cfg.patch, spec.seed + 1, spec.cfg.damage, damageMix) : null;
  const job = {
    format: 1,
    task: spec.cfg.task,
    channels: spec.cfg.channels,
    patch: spec.cfg.patch,
    scale: spec.cfg.scale ?? null,
    sigma: spec.cfg.sigma ?? null,
    quantize: spec.cfg.quantize ?? false,
    unsupported: {
      jpegQuality: spec.cfg.jpegQuality ?? null, poissonPeak: spec.cfg.poissonPeak ?? null, blur: spec.cfg.blur ?? null,
      noiseBank: spec.cfg.noiseBank ? true : null,
      thinContent: detector && damageMix.thinContent ? damageMix.thinContent : null,
    },
    oldPrint: spec.cfg.task === 'denoise' && spec.cfg.oldPrint === true,
    hintFrame: spec.cfg.hintFrame ?? null,
    holeBank,
    damageBank,
    damageMix: detector ? damageMix : null,
    colorAug: spec.cfg.colorAug ? { fraction: spec.cfg.colorAug, saturation: COLOR_AUG_SATURATION } : null,
    colorRotate: spec.cfg.colorRotate ?? null,
    batch: spec.batch,
    seed: spec.seed,
    loss: spec.loss,
    schedule: spec.schedule,
    startStep: spec.checkpoint.meta.step,
    configKey: spec.configKey,
    initMeta: spec.checkpoint.meta,
    inputs: spec.cfg.inputs,
    inputShapes: sm.inputShapes,
    targetShape: sm.targetShape,
    io: sm.io,
    params: sm.params,
    dataRoot: spec.dataRoot,
    trainFiles: spec.trainFiles.map((f) => path.relative(spec.dataRoot, f).split(path.sep).join('/')),
  };
  await fs.writeFile(path.join(spec.dir, 'job.json'), JSON.stringify(job, null, 1));

  // The first Adam moment after the step is (1 - beta1) x the clipped gradient: linear in the
  // gradient, so it checks the executor's gradients without the sign instability of Adam's first
  // update (m / sqrt(v) is +-1 wherever a gradient is tiny).
  const r = await session.step(refBatch, refLr);
  const snap = session.snapshot();
  const mNext = sm.params.map((p) => snap.m.get(p.name) as Float32Array);
  const inputNames = Object.keys(sm.inputShapes);
  const feeds = [...inputNames.map((n) => refBatch.inputs[n] as Float32Array), refBatch.target];
  const checkBytes = [...feeds, ...mNext].reduce((a, x) => a + x.byteLength, 0);
  const withData = checkBytes <= MAX_CHECK_BYTES;
  const check = {
    lr: refLr,
    t: spec.checkpoint.state.t + 1,
    loss: r.loss,
    gradNorm: r.gradNorm,
    data: withData ? { feeds: [...inputNames, sm.io.target], mNext: sm.params.map((p) => p.name) } : null,
  };
  await fs.writeFile(path.join(spec.dir, 'check.json'), JSON.stringify(check, null, 1));
  const files = ['graph.json', 'graph.bin', 'step.onnx', fresh ? 'init-params.bin' : 'init.ckpt', 'job.json', 'check.json', ...(holeBank ? [holeBank.file] : []), ...(damageBank ? [damageBank.file] : [])];
  if (withData) {
    await fs.writeFile(path.join(spec.dir, 'check.bin'), concatFloats([...feeds, ...mNext]));
    files.push('check.bin');
  }
  return files;
}
