// The user interface for `restore serve`, built on first start when missing. `npm ci` builds the
// CLI (prepare) but not the renderer, whose Vite build is left out of prepare so that the CLI's
// rebuilds stay fast; serve builds it itself the first time (a few seconds), saying so on stderr.
// The build goes to a sibling temporary folder that is renamed into place, so a second serve
// starting meanwhile never serves a half-written build. Where Vite is not installed (an install
// without devDependencies) the error says what to run.
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function viteBin(root: string): string | undefined {
  try {
    const pkg = createRequire(path.join(root, 'package.json')).resolve('vite/package.json');
    const bin = path.join(path.dirname(pkg), 'bin', 'vite.js');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * Makes sure `dir` holds the built interface (index.html), building it from `root`'s renderer
 * sources when it does not; `note` gets a line for the user before a build. Throws an Error with
 * a one-line reason when it cannot.
 */
export async function ensureUiBuilt(dir: string, root: string, note: (line: string) => void): Promise<void> {
  if (existsSync(path.join(dir, 'index.html'))) return;
  const config = path.join(root, 'renderer', 'vite.config.ts');
  const vite = viteBin(root);
  if (!existsSync(config) || !vite) {
    throw new Error(`${dir}: the user interface is not built, and cannot be built here (${!existsSync(config) ? 'no renderer sources' : 'Vite is not installed'}); run npm ci, then npm run build:renderer`);
  }
  note('building the user interface (first start after install; a few seconds)...');
  const temp = `${dir}.building-${process.pid}`;
  await fs.mkdir(path.dirname(dir), { recursive: true });
  const r = await run(process.execPath, [vite, 'build', '--config', config, '--outDir', temp, '--emptyOutDir', '--logLevel', 'warn'], root);
  if (r.code !== 0 || !existsSync(path.join(temp, 'index.html'))) {
    await fs.rm(temp, { recursive: true, force: true });
    const last = r.output.trim().split('\n').slice(-3).join('; ');
    throw new Error(`building the user interface failed (${last || `exit code ${r.code}`}); try npm run build:renderer`);
  }
  if (existsSync(dir) && !existsSync(path.join(dir, 'index.html'))) await fs.rm(dir, { recursive: true, force: true });
  try {
    await fs.rename(temp, dir);
  } catch (e) {
    await fs.rm(temp, { recursive: true, force: true });
    // another serve finished its build first: use that one
    if (!existsSync(path.join(dir, 'index.html'))) throw e;
  }
  note('user interface built');
}
