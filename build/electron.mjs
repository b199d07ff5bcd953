// Builds the Electron shell: main process -> dist/electron/main.cjs (package.json "main"; node
// modules stay external), preload -> dist/electron/preload.cjs (fully bundled: a sandboxed preload
// can require nothing but 'electron'), plus the renderer (vite) and the Node entries
// (scripts/build.mjs: the engine worker). Run by `npm run build:app` and scripts/start.mjs.
import { build } from 'esbuild';
import process from 'node:process';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run(process.execPath, ['scripts/build.mjs']);
run('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
const common = { absWorkingDir: root, bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning', external: ['electron'] };
await build({
  ...common,
  entryPoints: { main: 'electron/main/main.ts' },
  outdir: 'dist/electron',
  outExtension: { '.js': '.cjs' },
  packages: 'external',
  // Shared modules use import.meta.url (ESM); give the CommonJS bundle a real value.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
});
await build({ ...common, entryPoints: { preload: 'electron/preload/preload.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.cjs' } });
