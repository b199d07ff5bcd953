// A batch over a folder of damaged files: a truncated PNG, a garbage .jpg, a zero-byte file, a PNG
// whose header claims 100000 x 100000 pixels, and two good images. Expected: exit code 1, the two
// good outputs written, exactly one clear error per bad file naming it, no crash, no hang, and
// every input byte-identical afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import type { ModelDir } from '../../electron/engine/test/models';
import { listFiles, ofType, restore, sha256, tempDir, testModels, writeImage } from './helpers';

let dir: string;
let models: ModelDir;

/** A valid PNG whose IHDR is rewritten to claim width x height (CRC fixed, so only the size lies). */
async function hugePng(file: string, width: number, height: number): Promise<void> {
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#808080' } }).png().toBuffer();
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(zlib.crc32(png.subarray(12, 29)) >>> 0, 29);
  await fs.writeFile(file, png);
}

beforeAll(async () => {
  dir = await tempDir('bad');
  models = await testModels();
  const input = path.join(dir, 'in');
  await writeImage(path.join(input, 'good1.png'), 48, 32);
  await writeImage(path.join(input, 'good2.jpg'), 40, 40);
  const full = await fs.readFile(path.join(input, 'good1.png'));
  await fs.writeFile(path.join(input, 'truncated.png'), full.subarray(0, Math.floor(full.length / 2)));
  await fs.writeFile(path.join(input, 'garbage.jpg'), Buffer.from('this is not a JPEG at all, just text pretending to be one\n'.repeat(20)));
  await fs.writeFile(path.join(input, 'empty.png'), Buffer.alloc(0));
  await hugePng(path.join(input, 'huge.png'), 100_000, 100_000);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
  await models.cleanup();
});

describe('bad input', () => {
  it('fails each bad file alone with a clear error, writes the good ones, leaves inputs untouched', async () => {
    const input = path.join(dir, 'in');
    const names = await listFiles(input);
    const before = await Promise.all(names.map((n) => sha256(path.join(input, n))));
    const out = path.join(dir, 'out');
    const r = await restore(['denoise', input, '-o', out, '--json', '--models-dir', models.dir, '--threads', '1'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.signal).toBeNull();

    const failed = ofType(r.events, 'file-failed');
    const bad = ['empty.png', 'garbage.jpg', 'huge.png', 'truncated.png'];
    expect(failed.map((e) => path.basename(String(e.input))).sort()).toEqual(bad);
    for (const e of failed) {
      const error = String(e.error);
      expect(error.startsWith(`${String(e.input)}: `), error).toBe(true);
      expect(error).not.toContain('\n');
      expect(error.length).toBeLessThan(300);
    }
    const reasons = Object.fromEntries(failed.map((e) => [path.basename(String(e.input)), String(e.error)]));
    expect(reasons['empty.png']).toMatch(/empty|0 bytes/i);
    expect(reasons['huge.png']).toMatch(/pixel|too large|limit/i);

    expect(ofType(r.events, 'file-done').map((e) => path.basename(String(e.output))).sort()).toEqual(['good1.png', 'good2.jpg']);
    expect(ofType(r.events, 'summary')[0]).toMatchObject({ done: 2, failed: 4, skipped: 0 });
    expect(await listFiles(out)).toEqual(['good1.png', 'good2.jpg']);
    expect((await sharp(path.join(out, 'good1.png')).metadata()).width).toBe(48);

    expect(await listFiles(input)).toEqual(names);
    expect(await Promise.all(names.map((n) => sha256(path.join(input, n))))).toEqual(before);
  });
});
