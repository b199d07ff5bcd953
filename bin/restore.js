#!/usr/bin/env node
// `restore` command-line entry: runs the built CLI (dist/cli.js, produced by `npm run build`,
// which `npm ci` runs through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(`restore: ${cli} is missing; run "npm run build" in the project folder first.\n`);
  process.exit(2);
}
await import(pathToFileURL(cli).href);
