// --shard K/N assignment: parsing and its errors, a hash that matches an independent
// implementation (Python's hashlib, values below), shards that are disjoint and cover every file
// whatever the order, keys that do not depend on where the archive is mounted or on the OS's
// separator or Unicode normalisation, and files added later that move nobody else.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputFile } from './inputs';
import { planOutputs } from './plan';
import { parseShard, selectShard, shardKey, shardOf, shardPlans, ShardError, type Shard } from './shard';

const folderFile = (root: string, rel: string, argIndex = 0): InputFile => ({ path: path.join(root, rel), rel, root, argIndex, fromFolder: true });

/** A deterministic shuffle (mulberry32), so a failure is reproducible. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const keys = Array.from({ length: 3000 }, (_, i) => `roll ${Math.floor(i / 36)}/frame ${String(i % 36).padStart(2, '0')}.tif`);

describe('parseShard', () => {
  it('accepts K/N with 0 <= K < N', () => {
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
    expect(parseShard('3/16')).toEqual({ index: 3, count: 16 });
    expect(parseShard('15/16')).toEqual({ index: 15, count: 16 });
    expect(parseShard('007/010')).toEqual({ index: 7, count: 10 });
  });

  it('refuses anything else with a one-line message naming the value', () => {
    for (const bad of ['16/16', '17/16', '-1/4', '1/-4', '0/0', '1/0', 'a/b', '1.5/4', '1/4.0', '3', '3/', '/4', '', '1/2/3', '0x1/4', '1e2/200', 'K/N', '2 / 4', '0/2000000']) {
      let error: unknown;
      try {
        parseShard(bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(ShardError);
      const message = (error as Error).message;
      expect(message).toContain(`"${bad}"`);
      expect(message.split('\n')).toHaveLength(1);
    }
    expect(() => parseShard('4/4')).toThrow(/K must be below N \(the last of 4 shards is 3\/4\)/);
  });
});

describe('shardOf', () => {
  it('is first 48 bits of sha256 mod N (values from Python hashlib)', () => {
    const expected: Array<[string, number, number, number]> = [
      ['a.png', 15, 2, 783],
      ['sub/c.png', 8, 1, 160],
      ['sub/deeper/d.tif', 4, 1, 628],
      ['2024/roll 07/scan 0001.tif', 0, 2, 888],
      ['caf\u00e9/\u00e9t\u00e9.jpg', 4, 1, 732],
      ['photos/x.jpg', 14, 2, 382],
    ];
    for (const [key, of16, of3, of1000] of expected) {
      expect([shardOf(key, 16), shardOf(key, 3), shardOf(key, 1000)], key).toEqual([of16, of3, of1000]);
      expect(shardOf(key, 1)).toBe(0);
    }
  });

  it('splits into disjoint shards that cover every key, whatever the order', () => {
    for (const count of [1, 2, 3, 7, 16]) {
      const seen = new Map<string, number>();
      for (let index = 0; index < count; index++) {
        const shard: Shard = { index, count };
        const part = selectShard(keys, (k) => k, shard);
        // The same selection from a shuffled listing (order independence), in the listing's order.
        const order = shuffled(keys, 1000 * count + index);
        const again = selectShard(order, (k) => k, shard);
        expect(new Set(again)).toEqual(new Set(part));
        const inPart = new Set(part);
        expect(again).toEqual(order.filter((k) => inPart.has(k)));
        for (const k of part) {
          expect(seen.has(k), `${k} in two shards of ${count}`).toBe(false);
          seen.set(k, index);
        }
      }
      expect(seen.size).toBe(keys.length);
    }
  });

  it('balances the shards', () => {
    const counts = new Array<number>(16).fill(0);
    for (const k of keys) counts[shardOf(k, 16)]! += 1;
    const mean = keys.length / 16;
    for (const c of counts) expect(Math.abs(c - mean) / mean).toBeLessThan(0.35);
  });

  it('refuses a bad count', () => {
    expect(() => shardOf('a', 0)).toThrow(RangeError);
    expect(() => shardOf('a', 1.5)).toThrow(RangeError);
  });
});

describe('shardKey', () => {
  it('is the path in the input tree with forward slashes, independent of the mount point', () => {
    const a = folderFile('/mnt/archive', path.join('1970', 'roll 1', 'f01.tif'));
    const b = folderFile('/home/me/copy-of-archive', path.join('1970', 'roll 1', 'f01.tif'));
    expect(shardKey(a, 1)).toBe('1970/roll 1/f01.tif');
    expect(shardKey(b, 1)).toBe(shardKey(a, 1));
  });

  it('prefixes the folder name with several arguments (as the output tree does); a file argument is its name', () => {
    expect(shardKey(folderFile('/x/scans', path.join('a', 'b.png'), 1), 2)).toBe('scans/a/b.png');
    const file: InputFile = { path: '/x/y/solo.jpg', rel: 'solo.jpg', root: '/x/y', argIndex: 0, fromFolder: false };
    expect(shardKey(file, 1)).toBe('solo.jpg');
    expect(shardKey(file, 3)).toBe('solo.jpg');
  });

  it('normalises Unicode to NFC (macOS lists names decomposed)', () => {
    const nfd = folderFile('/a', 'e\u0301te\u0301.jpg');
    const nfc = folderFile('/a', '\u00e9t\u00e9.jpg');
    expect(shardKey(nfd, 1)).toBe(shardKey(nfc, 1));
  });
});

describe('shardPlans', () => {
  it('keeps the shard of each planned file; a file added later moves no other file', () => {
    const root = '/data/in';
    const inputs = keys.slice(0, 200).map((k) => folderFile(root, k.split('/').join(path.sep)));
    const opts = { output: '/data/out', cwd: '/', format: 'png' as const, outputIsFolder: true, argCount: 1, caseInsensitive: false };
    const plans = planOutputs(inputs, opts);
    const before = [0, 1, 2].map((index) => shardPlans(plans, inputs, 1, { index, count: 3 }).map((p) => p.input));
    expect(before.flat().sort()).toEqual(plans.map((p) => p.input).sort());
    for (const [index, part] of before.entries()) for (const input of part) expect(shardOf(path.relative(root, input).split(path.sep).join('/'), 3)).toBe(index);

    const added = folderFile(root, path.join('new roll', 'late.tif'));
    const grown = [...inputs, added];
    const grownPlans = planOutputs(grown, opts);
    const after = [0, 1, 2].map((index) => shardPlans(grownPlans, grown, 1, { index, count: 3 }).map((p) => p.input));
    const home = shardOf('new roll/late.tif', 3);
    for (let index = 0; index < 3; index++) {
      expect(after[index]).toEqual(index === home ? [...before[index]!, added.path] : before[index]);
    }
  });
});
