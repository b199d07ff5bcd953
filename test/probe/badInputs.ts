// Probe group 1: the bad-input corpus (test/fixtures/badInputs.ts) through the real CLI. Each
// processing command runs once over the whole corpus folder (--recursive --json), and `denoise`
// runs once per corpus entry named alone on the command line. Counted per case: a crash (exit code
// other than 0/1/2, a signal, a stack trace), a hang (over the timeout), an input changed (corpus
// snapshot before/after), an output lost or partial (a reported output that is missing or does
// not decode, a valid photo not written, a file in the output that no file-done names, an output
// left behind by a failed single-file run) and leaks (temporaries in the output or the run's TMPDIR).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { writeBadInputs, type BadInput } from '../fixtures/badInputs';
import { ofType } from '../cli/helpers';
import { bad, changed, cli, crashOf, newTally, snapshot, temporaries, type Tally } from './common';

/** `exclude`: top-level corpus entries left out (the others named as inputs), e.g. names whose outputs would collide. */
const FOLDER_RUNS: Array<{ name: string; args: string[]; exclude?: string[] }> = [
  { name: 'denoise', args: ['denoise', '--sigma', '10'] },
  { name: 'denoise-auto', args: ['denoise', '--sigma', 'auto'] },
  { name: 'upscale', args: ['upscale', '--scale', '2'] },
  { name: 'colorize', args: ['colorize'] },
  // masks are PNGs: good.png and good.jpg would both be good.png (refused at planning, exit 2)
  { name: 'detect-damage', args: ['detect-damage'], exclude: ['good.jpg'] },
  { name: 'repair', args: ['repair', '--colorize', '--scale', '2', '--depth', '16'] },
];

/** True when the file decodes completely. */
async function decodes(file: string): Promise<boolean> {
  try {
    await sharp(file).raw().toBuffer();
    return true;
  } catch {
    return false;
  }
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

export async function probeBadInputs(work: string, modelsDir: string, opts: { singles: boolean }): Promise<Tally> {
  const t = newTally('bad inputs (CLI)');
  const corpus = path.join(work, 'corpus');
  const entries: BadInput[] = await writeBadInputs(corpus);
  const before = await snapshot(corpus);
  const tmp = path.join(work, 'tmp');
  await fs.mkdir(tmp, { recursive: true });
  const common = ['--json', '--models-dir', modelsDir, '--threads', '1'];
  console.error(`bad inputs: ${entries.length} corpus entries`);

  for (const run of FOLDER_RUNS) {
    const out = path.join(work, `out-${run.name}`);
    const exclude = new Set(run.exclude ?? []);
    const inputs = run.exclude ? (await fs.readdir(corpus)).filter((f) => !exclude.has(f)).map((f) => path.join(corpus, f)) : [corpus];
    const taken = entries.filter((e) => !exclude.has(e.name));
    const r = await cli([run.args[0]!, ...inputs, '-o', out, '--recursive', ...run.args.slice(1), ...common], { timeoutMs: 900_000, env: { TMPDIR: tmp } });
    t.tried += taken.length;
    console.error(`  ${run.name} over the corpus: exit ${r.code} in ${(r.ms / 1000).toFixed(1)} s`);
    if (r.code === 2) console.error(`  ${run.name}: usage error: ${r.stderr.trim()}`);
    if (r.hung) bad(t, 'hangs', `${run.name} over the corpus did not finish`);
    const crash = crashOf(r);
    if (crash) bad(t, 'crashes', `${run.name} over the corpus: ${crash}`);
    const done = ofType(r.events, 'file-done');
    const reported = new Set(done.map((e) => path.resolve(String(e.output))));
    for (const e of done) if (!(await decodes(String(e.output)))) bad(t, 'outputsLost', `${run.name}: ${String(e.input)}: reported output does not decode`);
    const doneInputs = new Set(done.map((e) => path.relative(corpus, String(e.input))));
    for (const e of taken) if (e.expect === 'done' && !doneInputs.has(e.name)) bad(t, 'outputsLost', `${run.name}: valid photo ${e.name} not written`);
    const written = (await fs.readdir(out, { recursive: true, withFileTypes: true }).catch(() => [])).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
    for (const f of written) if (!reported.has(path.resolve(f)) && !/^\.rs-/.test(path.basename(f))) bad(t, 'outputsLost', `${run.name}: ${f} written but no file-done names it (partial?)`);
    for (const f of [...(await temporaries(out)), ...(await fs.readdir(tmp))]) bad(t, 'leaks', `${run.name}: temporary left: ${f}`);
    await fs.rm(tmp, { recursive: true, force: true });
    await fs.mkdir(tmp);
  }

  if (opts.singles) {
    const singles = path.join(work, 'singles');
    await fs.mkdir(singles, { recursive: true });
    await mapLimit(entries, 2, async (e, i) => {
      const out = path.join(singles, `${i}.png`);
      const r = await cli(['denoise', path.join(corpus, e.name), '-o', out, '--sigma', '10', ...common], { timeoutMs: 90_000, env: { TMPDIR: tmp } });
      t.tried++;
      if (r.hung) bad(t, 'hangs', `denoise ${e.name} alone did not finish`);
      const crash = crashOf(r);
      if (crash) bad(t, 'crashes', `denoise ${e.name} alone: ${crash}`);
      const exists = await fs.stat(out).then(() => true, () => false);
      // A folder named like a photo (or a link to one) is a folder input: -o is then a folder (DESIGN.md).
      const folderInput = await fs.stat(path.join(corpus, e.name)).then((st) => st.isDirectory(), () => false);
      if (folderInput) {
        const files = (await fs.readdir(out, { recursive: true, withFileTypes: true }).catch(() => [])).filter((d) => d.isFile());
        for (const f of files) if (!(await decodes(path.join(f.parentPath, f.name)))) bad(t, 'outputsLost', `denoise ${e.name} alone (a folder): ${f.name} does not decode`);
        await fs.rm(out, { recursive: true, force: true });
      } else if (r.code === 0 && !(exists && (await decodes(out)))) bad(t, 'outputsLost', `denoise ${e.name} alone: exit 0 but no valid output`);
      if (!folderInput && r.code !== 0 && exists) bad(t, 'outputsLost', `denoise ${e.name} alone: exit ${r.code} but an output was left`);
      if (e.expect === 'done' && r.code !== 0) bad(t, 'outputsLost', `denoise ${e.name} alone: valid photo refused (exit ${r.code}): ${r.stderr.trim().split('\n')[0]}`);
    });
    for (const f of [...(await temporaries(singles)), ...(await fs.readdir(tmp))]) bad(t, 'leaks', `single runs: temporary left: ${f}`);
  }

  for (const c of changed(before, await snapshot(corpus))) bad(t, 'inputsModified', `corpus: ${c}`);
  return t;
}
