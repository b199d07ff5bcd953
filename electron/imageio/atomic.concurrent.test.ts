// atomicWrite from several processes at once into one output tree, as `--shard` jobs do
// (docs/cluster.md): four real node processes create the same deep folders concurrently (no EEXIST
// failure), write their own files there, and all write one shared path again and again; every file
// ends complete with the content of one writer, and no temporary file is left. The child script is
// atomic.ts itself, bundled with esbuild.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;
let script: string;
const WRITERS = 4;
const FILES = 120;

// Each writer: FILES own files spread over shared folders (all created at the same moment by
// every writer), then 10 rewrites of same/shared.bin; content is a function of (writer, name).
const child = `
import { atomicWrite } from ${JSON.stringify(path.join(here, 'atomic.ts'))};
const [root, writer] = [process.argv[2], Number(process.argv[3])];
const content = (name) => { const b = Buffer.alloc(65536 + (name.length * 977) % 4096); for (let i = 0; i < b.length; i++) b[i] = (i * 31 + writer * 7 + name.length) & 255; return b; };
const jobs = [];
for (let i = 0; i < ${FILES}; i++) {
  const rel = \`f\${i % 3}/g\${i % 5}/h\${i % 7}/w\${writer}-\${i}.bin\`;
  jobs.push(atomicWrite(root + '/' + rel, [content(rel)]));
}
await Promise.all(jobs);
for (let k = 0; k < 10; k++) await atomicWrite(root + '/same/deep/shared.bin', [content('same/deep/shared.bin')]);
`;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-atomic-concurrent-'));
  script = path.join(dir, 'writer.mjs');
  await build({ stdin: { contents: child, resolveDir: here, loader: 'js' }, bundle: true, platform: 'node', format: 'esm', outfile: script, logLevel: 'error' });
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** What writer `w` wrote at `rel` (same formula as the child). */
function expected(rel: string, writer: number): Buffer {
  const b = Buffer.alloc(65536 + ((rel.length * 977) % 4096));
  for (let i = 0; i < b.length; i++) b[i] = (i * 31 + writer * 7 + rel.length) & 255;
  return b;
}

async function walk(d: string, out: string[] = []): Promise<string[]> {
  for (const e of await fs.readdir(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) await walk(p, out);
    else out.push(path.relative(path.join(dir, 'tree'), p).split(path.sep).join('/'));
  }
  return out;
}

describe('atomicWrite across processes', () => {
  it('shared folders created concurrently, every file complete, one writer wins a shared path, no temporary left', async () => {
    const root = path.join(dir, 'tree');
    const run = promisify(execFile);
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => run(process.execPath, [script, root, String(w)], { timeout: 60_000 })));
    const files = (await walk(root)).sort();
    const want: string[] = ['same/deep/shared.bin'];
    for (let w = 0; w < WRITERS; w++) for (let i = 0; i < FILES; i++) want.push(`f${i % 3}/g${i % 5}/h${i % 7}/w${w}-${i}.bin`);
    expect(files).toEqual(want.sort()); // nothing missing, no .tmp left behind
    for (const rel of files.filter((f) => f !== 'same/deep/shared.bin')) {
      const writer = Number(/\/w(\d+)-/.exec(rel)![1]);
      expect((await fs.readFile(path.join(root, rel))).equals(expected(rel, writer)), rel).toBe(true);
    }
    const shared = await fs.readFile(path.join(root, 'same', 'deep', 'shared.bin'));
    const hash = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    const candidates = Array.from({ length: WRITERS }, (_, w) => hash(expected('same/deep/shared.bin', w)));
    expect(candidates).toContain(hash(shared));
  });
});
