// Splitting one batch over many machines or jobs (`--shard K/N`, docs/cluster.md). Every planned
// file belongs to exactly one of N shards, chosen by a stable hash of where the file sits in the
// input tree (plan.ts treePath: its path relative to its folder argument, with forward slashes and
// Unicode NFC, so Linux, macOS and Windows agree and the archive may be mounted anywhere). The
// shard does not depend on the listing order or on the other files, so a file added later lands in
// a predictable shard and the shards of a rerun are the same. K is 0-based, like Kubernetes'
// JOB_COMPLETION_INDEX and the usual Slurm array `--array=0-(N-1)`.
//
// shard(key) = (first 6 bytes of sha256(UTF-8 key), big-endian) mod N; in Python:
// int.from_bytes(hashlib.sha256(key.encode()).digest()[:6], 'big') % N
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { InputFile } from './inputs';
import { treePath, type PlannedFile } from './plan';

export interface Shard {
  /** 0-based index, 0 <= index < count. */
  index: number;
  count: number;
}

/** Largest N accepted (Kubernetes caps Indexed Jobs at 100,000 completions; Slurm arrays are smaller). */
export const MAX_SHARDS = 1_000_000;

/** A `--shard` value that is not K/N with whole numbers 0 <= K < N (a usage error). */
export class ShardError extends Error {
  constructor(value: string, why: string) {
    super(`--shard must be K/N with whole numbers 0 <= K < N (K counts from 0), got "${value}": ${why}`);
    this.name = 'ShardError';
  }
}

/** Parses "K/N" (e.g. "3/16"). */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m) throw new ShardError(value, 'not of the form K/N');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new ShardError(value, 'N must be at least 1');
  if (count > MAX_SHARDS) throw new ShardError(value, `N must be at most ${MAX_SHARDS}`);
  if (index >= count) throw new ShardError(value, `K must be below N (the last of ${count} shards is ${count - 1}/${count})`);
  return { index, count };
}

/** The string a file is hashed by: its place in the input tree, "/"-separated, NFC. */
export function shardKey(input: InputFile, argCount: number): string {
  return treePath(input, argCount).split(path.sep).join('/').normalize('NFC');
}

/** Which of `count` shards a key belongs to. */
export function shardOf(key: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a whole number >= 1, got ${count}`);
  return createHash('sha256').update(key, 'utf8').digest().readUIntBE(0, 6) % count;
}

/** The items of `shard` (order kept). */
export function selectShard<T>(items: readonly T[], key: (item: T) => string, shard: Shard): T[] {
  return items.filter((item) => shardOf(key(item), shard.count) === shard.index);
}

/** The planned files of `shard`, each hashed by its input's shardKey (order kept). */
export function shardPlans(plans: readonly PlannedFile[], inputs: readonly InputFile[], argCount: number, shard: Shard): PlannedFile[] {
  const keys = new Map(inputs.map((f) => [f.path, shardKey(f, argCount)]));
  return selectShard(plans, (p) => {
    const key = keys.get(p.input);
    if (key === undefined) throw new Error(`${p.input}: planned file without an input entry`);
    return key;
  }, shard);
}
