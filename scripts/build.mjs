// Builds the Node-side entry points (CLI, engine process, benchmark) into dist/ with esbuild.
// Runs on `npm ci` (prepare) so that `npx restore` works right after install. Entry points that
// do not exist yet are skipped. Each output file is written atomically (temporary file + rename),
// so a process starting while a rebuild runs never loads a half-written bundle, and files whose
// content did not change are left untouched.
import { build } from 'esbuild';
import { Buffer } from 'node:buffer';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = {
  cli: 'electron/cli/main.ts',
  'engine-worker': 'electron/engine/worker.ts',
  'training-host': 'electron/api/training/host.ts',
  bench: 'electron/bench/main.ts',
  tilingProfile: 'electron/bench/tilingProfile.ts',
};
const entryPoints = Object.fromEntries(
  Object.entries(entries).filter(([, file]) => existsSync(path.join(root, file))),
);
if (Object.keys(entryPoints).length > 0) {
  const result = await build({
    absWorkingDir: root,
    entryPoints,
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    write: false,
  });
  for (const file of result.outputFiles) {
    mkdirSync(path.dirname(file.path), { recursive: true });
    if (existsSync(file.path) && Buffer.compare(readFileSync(file.path), Buffer.from(file.contents)) === 0) continue;
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
}
