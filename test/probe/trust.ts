// The trust probe of issue 16, run by hand (not part of the test suite): bad inputs through the
// CLI, fault scenarios, hostile requests to `restore serve`, and many jobs through the bridge.
// Prints each group's figures as it finishes and the table (Markdown) at the end; writes the
// figures as JSON to --json-out when given. Usage (see README.md beside it):
//   node test/probe/run.mjs [--only inputs,faults,hostile,jobs] [--no-singles] [--jobs N] [--json-out f]
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../cli/helpers';
import { buildDist } from '../build';
import { testColorizer, testDenoiser, testInpainter, testUpsampler, writeModelDir } from '../../electron/engine/test/models';
import { lineDetector } from '../../electron/api/test/lineDetector';
import type { Tally } from './common';
import { probeBadInputs } from './badInputs';
import { probeFaults } from './faults';
import { probeHostile } from './hostile';
import { probeJobs } from './jobs';

const GROUPS = ['inputs', 'faults', 'hostile', 'jobs'] as const;

function table(tallies: Tally[]): string {
  const rows = [
    '| group | cases tried | crashes | hangs | inputs modified | outputs lost | leaks | confinement breaks | 5xx answers | other wrong answers |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...tallies.map((t) => `| ${t.group} | ${t.tried} | ${t.crashes} | ${t.hangs} | ${t.inputsModified} | ${t.outputsLost} | ${t.leaks} | ${t.confinementBreaks} | ${t.serverErrors} | ${t.wrong} |`),
  ];
  return rows.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      'no-singles': { type: 'boolean' },
      jobs: { type: 'string' },
      'json-out': { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  const only = values.only ? values.only.split(',') : [...GROUPS];
  for (const g of only) if (!(GROUPS as readonly string[]).includes(g)) throw new Error(`--only: unknown group ${g} (${GROUPS.join(', ')})`);
  // As vitest.config.ts: only the seeded test models, never the app's shipped ones (a broken test
  // model must not be silently replaced by a shipped one), and no telemetry.
  process.env.RESTORE_APP_MODELS_DIR = path.join(os.tmpdir(), 'restore-probe-no-app-models');
  process.env.ORT_DISABLE_TELEMETRY = '1';
  buildDist();
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-probe-'));
  // test/cli/helpers.ts's testModels() and the hand-made damage detector (detect-damage, repair's auto mask)
  const models = await writeModelDir([testDenoiser(3), testDenoiser(1), testUpsampler(2), testUpsampler(4), testColorizer(), testInpainter(), lineDetector()]);
  const started = Date.now();
  const tallies: Tally[] = [];
  try {
    if (only.includes('inputs')) tallies.push(await probeBadInputs(path.join(work, 'inputs'), models.dir, { singles: !values['no-singles'] }));
    if (only.includes('faults')) tallies.push(await probeFaults(path.join(work, 'faults'), models.dir));
    if (only.includes('hostile')) tallies.push(await probeHostile());
    if (only.includes('jobs')) tallies.push(await probeJobs(Number(values.jobs ?? 400)));
  } finally {
    await models.cleanup();
    if (!values.keep) await fs.rm(work, { recursive: true, force: true });
    else console.error(`work folder kept: ${work}`);
  }
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.type()} ${os.release()}, Node ${process.version}`;
  console.log(`\nTrust probe, ${new Date().toISOString().slice(0, 10)}, commit ${commit}, ${machine}, ${((Date.now() - started) / 60_000).toFixed(1)} min\n`);
  console.log(table(tallies));
  for (const t of tallies) for (const f of t.findings) console.log(`- ${t.group}: ${f}`);
  if (values['json-out']) await fs.writeFile(values['json-out'], JSON.stringify({ commit, machine, date: new Date().toISOString(), tallies }, null, 2));
  const total = tallies.reduce((s, t) => s + t.crashes + t.hangs + t.inputsModified + t.outputsLost + t.leaks + t.confinementBreaks + t.serverErrors + t.wrong, 0);
  process.exitCode = total === 0 ? 0 : 1;
}

await main();
