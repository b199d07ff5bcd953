// Runs the trust probe (test/probe/trust.ts) outside the test suite: bundles it with esbuild into
// dist/probe/ (two levels below the repository root, as the helpers it reuses expect of their own
// location) and runs it with the arguments given, e.g. `node test/probe/run.mjs --only bridge`.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = path.join(root, 'dist', 'probe', 'trust.mjs');
await build({
  absWorkingDir: root,
  entryPoints: ['test/probe/trust.ts'],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
await import(pathToFileURL(out).href);
