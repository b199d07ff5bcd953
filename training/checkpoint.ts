// Training checkpoints: weights, Adam moments, best weights, step, seed and progress in one file,
// written atomically (temporary file + fsync + rename, electron/imageio/atomic) so a kill -9 at
// any moment leaves either the previous checkpoint or the new one, never a torn file.
// Layout: "RSTCKPT1\n", uint32 LE header length, JSON header, then float32 blobs.
import { promises as fs } from 'node:fs';
import { atomicWrite } from '../electron/imageio/atomic';
import type { TrainState } from './step/session';

const MAGIC = 'RSTCKPT1\n';

export interface CheckpointMeta {
  /** Steps completed. */
  step: number;
  seed: number;
  /** Identifies the run's configuration; resume refuses a checkpoint of another configuration. */
  configKey: string;
  bestPsnr: number;
  bestStep: number;
  basePsnr: number | null;
  roundsWithoutImprovement: number;
  seconds: number;
  history: { step: number; loss: number; psnr?: number }[];
  /** --noisy: the fixed noise level chosen for the model (the base's best on the held-out pairs). */
  noiseLevel?: number;
}

export interface Checkpoint { meta: CheckpointMeta; state: TrainState; best: Map<string, Float32Array> }

interface Header { meta: CheckpointMeta; params: { name: string; size: number }[] }

export async function writeCheckpoint(file: string, ck: Checkpoint): Promise<void> {
  const names = [...ck.state.params.keys()];
  const header: Header = { meta: ck.meta, params: names.map((n) => ({ name: n, size: (ck.state.params.get(n) as Float32Array).length })) };
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const blobs: Uint8Array[] = [];
  for (const map of [ck.state.params, ck.state.m, ck.state.v, ck.best]) {
    for (const n of names) {
      const a = map.get(n);
      if (!a) throw new Error(`checkpoint: tensor ${n} missing`);
      blobs.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    }
  }
  await atomicWrite(file, [Buffer.from(MAGIC), len, json, ...blobs]);
}

/**
 * The step a checkpoint file holds, read from its header only (null when there is no readable
 * checkpoint): what a resume will continue from, even when the process that wrote it was killed
 * before it could report it.
 */
export async function readCheckpointStep(file: string): Promise<number | null> {
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const head = Buffer.alloc(MAGIC.length + 4);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < head.length || head.subarray(0, MAGIC.length).toString() !== MAGIC) return null;
    const json = Buffer.alloc(head.readUInt32LE(MAGIC.length));
    if ((await handle.read(json, 0, json.length, head.length)).bytesRead < json.length) return null;
    const step = (JSON.parse(json.toString()) as Header).meta.step;
    return Number.isInteger(step) ? step : null;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

export async function readCheckpoint(file: string): Promise<Checkpoint> {
  let buf: Buffer;
  try {
    buf = await fs.readFile(file);
  } catch (e) {
    throw new Error(`${file}: cannot read checkpoint (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  if (buf.subarray(0, MAGIC.length).toString() !== MAGIC) throw new Error(`${file}: not a training checkpoint`);
  const hl = buf.readUInt32LE(MAGIC.length);
  let header: Header;
  try {
    header = JSON.parse(buf.subarray(MAGIC.length + 4, MAGIC.length + 4 + hl).toString()) as Header;
  } catch {
    throw new Error(`${file}: damaged checkpoint header`);
  }
  let off = MAGIC.length + 4 + hl;
  const total = header.params.reduce((a, p) => a + p.size, 0) * 4 * 4;
  if (buf.length - off !== total) throw new Error(`${file}: truncated checkpoint (${buf.length - off} of ${total} data bytes)`);
  const take = (): Map<string, Float32Array> => {
    const m = new Map<string, Float32Array>();
    for (const p of header.params) {
      const a = new Float32Array(p.size);
      new Uint8Array(a.buffer).set(buf.subarray(off, off + p.size * 4));
      off += p.size * 4;
      m.set(p.name, a);
    }
    return m;
  };
  const params = take(), m = take(), v = take(), best = take();
  return { meta: header.meta, state: { t: header.meta.step, params, m, v }, best };
}
