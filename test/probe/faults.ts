// Probe group 2: fault scenarios around a CLI batch (8 photos, small tiles so a file takes a
// while): kill -9 and Ctrl-C mid-batch then a rerun, the engine killed, read-only and full output
// file systems (a private mount namespace), an output that is a file or is the input (same path,
// symlink, hard link), 255-byte names, missing/corrupt/truncated model files, two processes on one
// output folder, stale and foreign temporaries, inputs removed or replaced mid-batch. Each scenario
// is one case; counted: crashes, hangs, inputs modified (snapshot of the input folder), outputs lost
// (a promised output missing or not decoding, a user's file replaced) and stale temporaries left.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { BIN, NO_USER_MODELS, ofType, writeImage, type Event } from '../cli/helpers';
import { HOST_TAG } from '../../electron/imageio/tempfiles';
import { bad, changed, cli, crashOf, newTally, snapshot, temporaries, type CliRun, type Tally } from './common';

const N = 8;

async function decodes(file: string): Promise<boolean> {
  return sharp(file).raw().toBuffer().then(() => true, () => false);
}

/** Output files (not temporaries) under out that do not decode. */
async function brokenOutputs(out: string): Promise<string[]> {
  const files = (await fs.readdir(out, { recursive: true, withFileTypes: true }).catch(() => [])).filter((d) => d.isFile() && !d.name.startsWith('.'));
  const broken: string[] = [];
  for (const d of files) if (!(await decodes(path.join(d.parentPath, d.name)))) broken.push(d.name);
  return broken;
}

/** Exit code of inNamespace when the tmpfs could not be mounted (not root, no user namespaces). */
const MOUNT_FAILED = 99;

/** A CLI run under `unshare -m` with a tmpfs (mount options `opts`) on `mountPoint`; `after` runs in the namespace once the CLI exits. */
function inNamespace(mountPoint: string, opts: string, args: string[], after = 'true'): CliRun {
  const script = `mount -t tmpfs -o ${opts} tmpfs "$1" || exit ${MOUNT_FAILED}; shift; "$@"; rc=$?; echo "--after--"; ${after}; exit $rc`;
  const t0 = Date.now();
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', mountPoint, process.execPath, BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, XDG_DATA_HOME: NO_USER_MODELS },
    timeout: 120_000,
  });
  const hung = r.error !== undefined && /ETIMEDOUT/.test(String(r.error));
  // the CLI never ran (unshare or mount refused): the script prints --after-- once it has
  const stdout = (r.stdout as string | null) ?? ''; // null when unshare itself is missing
  if (!hung && !stdout.includes('--after--')) return { code: MOUNT_FAILED, signal: null, stdout, stderr: String(r.stderr ?? r.error), events: [], hung: false, ms: 0 };
  const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Event);
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, events, hung, ms: Date.now() - t0 };
}

export async function probeFaults(work: string, modelsDir: string): Promise<Tally> {
  const t = newTally('fault scenarios (CLI)');
  const input = path.join(work, 'in');
  for (let i = 0; i < N; i++) await writeImage(path.join(input, `p${i}.png`), 320, 240);
  const inputBefore = await snapshot(input);
  const args = (inp: string, out: string, extra: string[] = [], models = modelsDir): string[] =>
    ['denoise', inp, '-o', out, '--sigma', '10', '--json', '--models-dir', models, '--threads', '1', '--tile', '32', ...extra];
  let n = 0;
  const outDir = (): string => path.join(work, `out${n++}`);

  /** The checks every scenario shares: crash, hang, broken outputs, temporaries in `out`. */
  const check = async (name: string, r: CliRun, out: string | null, want: { codes?: number[]; complete?: boolean; message?: RegExp; signal?: boolean } = {}): Promise<void> => {
    if (r.hung) bad(t, 'hangs', `${name}: did not finish`);
    const crash = crashOf(r, want.signal);
    if (crash) bad(t, 'crashes', `${name}: ${crash}`);
    if (want.codes && !r.hung && !want.codes.includes(r.code ?? -1)) bad(t, 'wrong', `${name}: exit ${r.code}, expected ${want.codes.join(' or ')}: ${r.stderr.trim().split('\n')[0]}`);
    const said = `${r.stderr}\n${ofType(r.events, 'file-failed').map((e) => String(e.error)).join('\n')}`;
    if (want.message && !want.message.test(said)) t.findings.push(`note: ${name}: message does not match ${want.message}: ${said.trim().split('\n')[0]}`);
    if (!out) return;
    for (const f of await brokenOutputs(out)) bad(t, 'outputsLost', `${name}: ${f} does not decode`);
    if (want.complete) {
      const have = new Set(await fs.readdir(out).catch(() => [] as string[]));
      for (let i = 0; i < N; i++) if (!have.has(`p${i}.png`)) bad(t, 'outputsLost', `${name}: p${i}.png missing after the run`);
    }
    for (const f of await temporaries(out)) bad(t, 'leaks', `${name}: temporary left: ${f}`);
  };
  const scenario = async (name: string, body: () => Promise<void>): Promise<void> => {
    t.tried++;
    const t0 = Date.now();
    try {
      await body();
    } catch (e) {
      bad(t, 'crashes', `${name}: probe step threw: ${(e as Error).message.split('\n')[0]}`);
    }
    for (const c of changed(inputBefore, await snapshot(input))) bad(t, 'inputsModified', `${name}: ${c}`);
    console.error(`  fault ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
  /** A run killed with `signal` (process group, count times) after the first finished file. */
  const sent = new WeakSet<ChildProcess>();
  const interrupted = (out: string, signal: NodeJS.Signals, count: number, extraEnv: Record<string, string> = {}): Promise<CliRun> =>
    cli(args(input, out), {
      detached: true,
      timeoutMs: 180_000,
      env: extraEnv,
      onEvent: (e: Event, child: ChildProcess) => {
        if (e.type !== 'file-done' || sent.has(child)) return;
        sent.add(child);
        const send = (): void => {
          try {
            process.kill(-child.pid!, signal);
          } catch {
            // already gone
          }
        };
        for (let i = 0; i < count; i++) setTimeout(send, 200 * i);
      },
    });

  await scenario('kill -9 of the CLI mid-batch, then rerun', async () => {
    const out = outDir();
    const r = await interrupted(out, 'SIGKILL', 1);
    if (r.hung) bad(t, 'hangs', 'kill -9: the killed run did not end');
    for (const f of await brokenOutputs(out)) bad(t, 'outputsLost', `kill -9: ${f} half-written`);
    await check('kill -9 rerun', await cli(args(input, out), { timeoutMs: 180_000 }), out, { codes: [0], complete: true });
  });
  await scenario('Ctrl-C once mid-batch, then rerun', async () => {
    const out = outDir();
    await check('Ctrl-C once', await interrupted(out, 'SIGINT', 1), out, { codes: [1], signal: false });
    await check('Ctrl-C once rerun', await cli(args(input, out), { timeoutMs: 180_000 }), out, { codes: [0], complete: true });
  });
  await scenario('Ctrl-C twice mid-batch, then rerun', async () => {
    const out = outDir();
    const r = await interrupted(out, 'SIGINT', 2);
    await check('Ctrl-C twice', r, out, { codes: [1], signal: true }); // killed by SIGINT instead: 'wrong' (exit code null)
    await check('Ctrl-C twice rerun', await cli(args(input, out), { timeoutMs: 180_000 }), out, { codes: [0], complete: true });
  });
  await scenario('kill -9 of the engine mid-batch', async () => {
    const out = outDir();
    let killed = false;
    const r = await cli(args(input, out), {
      timeoutMs: 180_000,
      env: { RESTORE_DEBUG_EVENTS: '1' },
      onEvent: (e) => {
        if (!killed && e.type === 'debug' && e.event === 'file-start' && String(e.input).endsWith('p3.png')) {
          killed = true;
          setTimeout(() => {
            try {
              process.kill(Number(e.pid), 'SIGKILL');
            } catch {
              t.findings.push('note: engine kill: the engine had already exited');
            }
          }, 0);
        }
      },
    });
    if (!killed) t.findings.push('note: engine kill: no debug file-start event seen');
    await check('engine kill -9', r, out, { codes: [0], complete: true });
  });
  await scenario('read-only output file system', async () => {
    const ro = path.join(work, 'ro');
    await fs.mkdir(ro);
    const r = inNamespace(ro, 'ro', args(input, path.join(ro, 'out')));
    if (r.code === MOUNT_FAILED) t.findings.push('note: read-only: skipped (no private mount namespace here)');
    else await check('read-only', r, null, { codes: [1], message: /read-only/ });
  });
  await scenario('output file system full', async () => {
    const full = path.join(work, 'full');
    await fs.mkdir(full);
    const r = inNamespace(full, 'size=400k', args(input, path.join(full, 'out'), ['--format', 'tif']), `find "${full}" -name '.*' -type f`);
    const left = r.stdout.split('--after--\n')[1]?.trim() ?? '';
    if (r.code === MOUNT_FAILED) {
      t.findings.push('note: disk full: skipped (no private mount namespace here)');
      return;
    }
    await check('disk full', r, null, { codes: [1], message: /space|full/i });
    for (const f of left.split('\n').filter(Boolean)) bad(t, 'leaks', `disk full: temporary left: ${f}`);
  });
  await scenario('output folder is an existing file', async () => {
    const file = path.join(work, 'a-file');
    await fs.writeFile(file, 'user data');
    await check('output is a file', await cli(args(input, file)), null, { codes: [1, 2] });
    if ((await fs.readFile(file, 'utf8')) !== 'user data') bad(t, 'outputsLost', 'output is a file: the user file was replaced');
  });
  await scenario('output == input (same file)', async () => {
    await check('output == input', await cli(args(path.join(input, 'p0.png'), path.join(input, 'p0.png'))), null, { codes: [2] });
  });
  await scenario('output folder == input folder', async () => {
    await check('output folder == input folder', await cli(args(input, input)), null, { codes: [2] });
  });
  await scenario('output folder is a symlink to the input folder', async () => {
    const link = path.join(work, 'link-to-in');
    await fs.symlink(input, link);
    await check('symlinked output folder', await cli(args(input, link)), null, { codes: [2] });
  });
  await scenario('output file is a symlink / hard link to the input', async () => {
    const sym = path.join(work, 'sym.png');
    const hard = path.join(work, 'hard.png');
    await fs.symlink(path.join(input, 'p1.png'), sym);
    await fs.link(path.join(input, 'p1.png'), hard);
    await check('symlinked output file', await cli(args(path.join(input, 'p1.png'), sym)), null, { codes: [2] });
    await check('hard-linked output file', await cli(args(path.join(input, 'p1.png'), hard)), null, { codes: [2] });
    await fs.rm(hard);
  });
  await scenario('names of 236-255 bytes', async () => {
    const long = path.join(work, 'long');
    await fs.mkdir(long, { recursive: true });
    for (const len of [236, 251, 255]) await fs.copyFile(path.join(input, 'p0.png'), path.join(long, `${'x'.repeat(len - 4)}.png`));
    const out = outDir();
    await check('long names', await cli(args(long, out, ['--format', 'tif'])), out, { codes: [0] });
    if ((await fs.readdir(out).catch(() => [])).length !== 3) bad(t, 'outputsLost', 'long names: not every output written');
  });
  const brokenModels = async (how: 'missing' | 'flipped' | 'truncated-same-sha'): Promise<string> => {
    const dir = path.join(work, `models-${how}`);
    await fs.cp(modelsDir, dir, { recursive: true });
    const manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8')) as { models: Array<{ task: string; file: string; sha256: string }> };
    for (const m of manifest.models.filter((x) => x.task === 'denoise')) {
      const file = path.join(dir, m.file);
      if (how === 'missing') await fs.rm(file);
      else {
        const bytes = await fs.readFile(file);
        const broken = how === 'flipped' ? Buffer.from(bytes.map((b, i) => (i > 100 && i < 400 ? b ^ 0x55 : b))) : bytes.subarray(0, Math.floor(bytes.length / 2));
        await fs.writeFile(file, broken);
        if (how === 'truncated-same-sha') m.sha256 = (await import('node:crypto')).createHash('sha256').update(broken).digest('hex');
      }
    }
    await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    return dir;
  };
  for (const how of ['missing', 'flipped', 'truncated-same-sha'] as const) {
    await scenario(`model file ${how}`, async () => {
      const out = outDir();
      await check(`model ${how}`, await cli(args(input, out, [], await brokenModels(how)), { timeoutMs: 120_000 }), out, { codes: [1, 2], message: /model/i });
    });
  }
  await scenario('two processes on one output folder', async () => {
    const out = outDir();
    const [a, b] = await Promise.all([cli(args(input, out), { timeoutMs: 240_000 }), cli(args(input, out), { timeoutMs: 240_000 })]);
    await check('concurrent A', a, out, { codes: [0, 1] });
    await check('concurrent B', b, out, { codes: [0, 1], complete: true });
  });
  await scenario('stale temporary of a dead process, and a user file named .tmp', async () => {
    const out = outDir();
    await fs.mkdir(out, { recursive: true });
    const stale = path.join(out, `.rs-${(2 ** 22 + 12345).toString(36)}-${HOST_TAG}abcdef.tmp`);
    await fs.writeFile(stale, Buffer.alloc(4096));
    await fs.writeFile(path.join(out, 'mine.tmp'), 'user file');
    const r = await cli(args(input, out), { timeoutMs: 180_000 });
    if (await fs.stat(stale).then(() => true, () => false)) bad(t, 'leaks', 'stale temporary of a dead process not removed');
    if (!(await fs.stat(path.join(out, 'mine.tmp')).then(() => true, () => false))) bad(t, 'outputsLost', "a user's file mine.tmp was removed");
    await fs.rm(path.join(out, 'mine.tmp'));
    await check('stale temporary', r, out, { codes: [0], complete: true });
  });
  for (const what of ['removed', 'replaced by garbage'] as const) {
    await scenario(`an input ${what} mid-batch`, async () => {
      const copy = path.join(work, `copy-${what.split(' ')[0]}`);
      await fs.cp(input, copy, { recursive: true });
      const out = outDir();
      const r = await cli(args(copy, out), {
        timeoutMs: 180_000,
        onEvent: (e) => {
          if (e.type === 'file-done' && String(e.input).endsWith('p1.png')) {
            const victim = path.join(copy, 'p6.png');
            void (what === 'removed' ? fs.rm(victim) : fs.writeFile(victim, 'garbage now'));
          }
        },
      });
      await check(`input ${what}`, r, out, { codes: [1] });
    });
  }
  return t;
}
