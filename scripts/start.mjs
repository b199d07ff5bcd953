// `npm start`: builds the app, then launches Electron where its binary is installed; otherwise
// (Electron is an optional dependency) starts the web bridge (`restore serve`) and says why in
// one line. Extra arguments go to `restore serve` (e.g. --allow <folder>).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, ['build/electron.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

function electronBinary() {
  try {
    // The electron package's main export is the path of its binary (absent when not downloaded).
    const binary = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' ? binary : null;
  } catch (e) {
    return { reason: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

const found = electronBinary();
const run = (cmd, args) => {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
};
if (typeof found === 'string') {
  run(found, ['.']);
} else {
  const why = found?.reason ?? 'the electron package did not provide a binary';
  process.stderr.write(`Electron is not installed here (${why}); starting the web bridge instead: open the URL below.\n`);
  run(process.execPath, ['bin/restore.js', 'serve', ...process.argv.slice(2)]);
}
