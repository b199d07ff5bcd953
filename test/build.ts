// Builds what the tests run, once, before any test file starts (vitest globalSetup): dist/
// (scripts/build.mjs) and the renderer (renderer/dist), each only when older than its sources.
// No test file builds: with two test files at a time, a rebuild would hand a half-written bundle,
// or a renderer/dist that Vite has just emptied, to the server or child process another file is
// starting. (test/probe/trust.ts, run on its own, calls buildDist.)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = /\.(m?[jt]sx?|css|html)$/;

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return SOURCE.test(p) ? st.mtimeMs : 0;
  let newest = 0;
  for (const e of readdirSync(p, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    newest = Math.max(newest, newestMtime(path.join(p, e.name)));
  }
  return newest;
}

/** True when every output exists and is newer than every source. */
function upToDate(outputs: string[], sources: string[]): boolean {
  const oldest = Math.min(...outputs.map((o) => (existsSync(o) ? statSync(o).mtimeMs : 0)));
  return oldest > Math.max(...sources.map((s) => newestMtime(path.join(ROOT, s))));
}

/** dist/ (the CLI, engine worker, bench, training host) when a bundle is missing or stale. */
export function buildDist(): void {
  const bundles = ['cli.js', 'engine-worker.js', 'bench.js', 'training-host.js'].map((f) => path.join(ROOT, 'dist', f));
  if (upToDate(bundles, ['electron', 'models', 'training', 'scripts/build.mjs'])) return;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

/** renderer/dist (the user interface `restore serve` and Electron load) when missing or stale. */
function buildRenderer(): void {
  const index = path.join(ROOT, 'renderer', 'dist', 'index.html');
  if (upToDate([index], ['renderer', 'electron/api', 'electron/engine/color'])) return; // the API's shared rules use the colour maths
  execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
}

export default function setup(): void {
  buildDist();
  buildRenderer();
}
