// Builds the Node-side entry points (CLI, engine process, benchmark) into dist/ with esbuild.
// Runs on `npm ci` (prepare) so that `npx restore` works right after install. Entry points that
// do not exist yet are skipped, so the build never blocks on a module under construction.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = {
  cli: 'electron/cli/main.ts',
  'engine-worker': 'electron/engine/worker.ts',
  bench: 'electron/bench/main.ts',
};
const entryPoints = Object.fromEntries(
  Object.entries(entries).filter(([, file]) => existsSync(path.join(root, file))),
);
if (Object.keys(entryPoints).length > 0) {
  await build({
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
  });
}
