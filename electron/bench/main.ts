// Entry point of the benchmark (bundled to dist/bench.js; `npm run bench -- [--only PREFIX]
// [--json] [--threads N] [--tile N] [--models-dir DIR]`). Collects rows from rows/index.ts, runs
// those whose name starts with --only (repeatable), prints a table (or one JSON object per line
// with --json) and exits 1 if a row failed (an error, or `withinLimit: false`, e.g. the 50 MP
// row's RSS); a row with `skipped` (no model for it) is not a failure. `--child <spec>` is the
// internal entry of a per-process measurement (child.ts: inferChild.ts, engineChild.ts or
// compare/compareChild.ts).
import '../ortTelemetry'; // first: before any ONNX Runtime session
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measureCompare, type CompareSpec } from './compare/compareChild';
import { measureEngine, type EngineSpec } from './engineChild';
import { measureSplit, type SplitSpec } from './splitChild';
import { measureInference, type InferSpec } from './inferChild';
import { ROW_SOURCES } from './rows/index';
import { formatTable } from './table';
import type { BenchContext, BenchResult } from './types';

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        only: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        threads: { type: 'string' },
        tile: { type: 'string' },
        'models-dir': { type: 'string', multiple: true },
        list: { type: 'boolean' },
        child: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write('Usage: npm run bench -- [--only PREFIX]... [--json] [--threads N] [--tile N] [--models-dir DIR]... [--list]\n');
    return 0;
  }
  if (values.child) {
    const spec = JSON.parse(values.child) as InferSpec | EngineSpec | CompareSpec | SplitSpec;
    const result = spec.kind === 'engine' ? await measureEngine(spec) : spec.kind === 'compare' ? await measureCompare(spec) : spec.kind === 'split' ? await measureSplit(spec) : await measureInference(spec);
    process.stdout.write(JSON.stringify(result) + '\n');
    return 0;
  }
  const threads = values.threads ? Number(values.threads) : 2;
  if (!Number.isInteger(threads) || threads < 1) {
    process.stderr.write(`bench: --threads must be a positive whole number, got "${values.threads}"\n`);
    return 2;
  }
  const tile = values.tile ? Number(values.tile) : 0;
  if (!Number.isInteger(tile) || tile < 0) {
    process.stderr.write(`bench: --tile must be a whole number of pixels (0 = the model's recommended tile), got "${values.tile}"\n`);
    return 2;
  }
  const tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-bench-'));
  const ctx: BenchContext = {
    threads,
    tile,
    modelDirs: (values['models-dir'] ?? []).map((d) => path.resolve(d)),
    tmpDir,
    script: path.resolve(process.argv[1]!),
    log: (m) => void process.stderr.write(`bench: ${m}\n`),
  };
  const only = values.only ?? [];
  let failed = 0;
  const results: BenchResult[] = [];
  try {
    const rows = (await Promise.all(ROW_SOURCES.map((s) => s(ctx)))).flat().filter((r) => only.length === 0 || only.some((p) => r.name.startsWith(p)));
    if (rows.length === 0) {
      process.stderr.write(`bench: no row name starts with ${only.map((o) => `"${o}"`).join(' or ')} (see --list)\n`);
      return 2;
    }
    if (values.list) {
      for (const r of rows) process.stdout.write(r.name + '\n');
      return 0;
    }
    for (const row of rows) {
      ctx.log(`running ${row.name}`);
      let result: BenchResult;
      try {
        result = await row.run(ctx);
      } catch (e) {
        failed += 1;
        result = { name: row.name, error: (e as Error).message.split('\n')[0]! };
      }
      if (result.withinLimit === false) failed += 1;
      results.push(result);
      if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
    }
    if (!values.json) process.stdout.write(formatTable(results));
  } finally {
    await fs.rm(tmpDir, { recursive: true, force: true });
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
