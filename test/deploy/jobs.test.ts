// The cluster job files of docs/cluster.md, run with the real CLI on a small folder tree:
// deploy/k8s/restore-indexed-job.yaml (read with js-yaml, already in the lockfile: an Indexed Job
// whose completions equal N of the container's `--shard $(JOB_COMPLETION_INDEX)/N`; its args, with
// the index Kubernetes would substitute and /data mapped to a temp folder, run for every index)
// and deploy/slurm/restore-array.sh (run by bash for every SLURM_ARRAY_TASK_ID of its
// `#SBATCH --array`). Every file is planned by exactly one index / task, in the shard its path
// hashes to: the plans come from the CLI's code in this process (`--dry-run`; a process each would
// take a second per index on this machine), with the exact argument lists (the script's recorded
// by running it with RESTORE=printf); one index and one task then run as real `node
// bin/restore.js` processes and write their shard.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelDir } from '../../electron/engine/test/models';
import { runCli } from '../../electron/cli/dispatch';
import { BIN, listFiles, NO_USER_MODELS, ofType, restore, ROOT, tempDir, testModels, writeImage, type Event } from '../cli/helpers';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const run = promisify(execFile);

let dir: string;
let models: ModelDir;
const TREE: string[] = [];

beforeAll(async () => {
  dir = await tempDir('jobs');
  models = await testModels();
  for (let i = 0; i < 40; i++) TREE.push(`${['', 'a/', 'a/b/', 'c d/'][i % 4]}f${i}.png`);
  for (const rel of TREE) await writeImage(path.join(dir, 'data', 'in', ...rel.split('/')), 16, 12);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
  await models.cleanup();
});

const shardOfRel = (rel: string, count: number): number => createHash('sha256').update(rel).digest().readUIntBE(0, 6) % count;
const inRel = (e: Event): string => path.relative(path.join(dir, 'data', 'in'), String(e.input)).split(path.sep).join('/');
const events = (stdout: string): Event[] => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Event);

/** `restore <argv> --dry-run --json` in this process: the plan events (exit code 0 required). */
async function dryRun(argv: string[]): Promise<Event[]> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), isTTY: false, cwd: dir, env: { XDG_DATA_HOME: NO_USER_MODELS }, onInterrupt: () => () => undefined };
  expect(await runCli([...argv, '--dry-run', '--json'], io), err.join('')).toBe(0);
  return events(out.join('')).filter((e) => e.type === 'plan');
}

/** Every file planned once over the `count` plans, each in its hashed shard. */
function expectPartition(plans: Event[][], count: number): void {
  const seen = new Map<string, number>();
  for (const [k, plan] of plans.entries()) {
    for (const e of plan) {
      expect(seen.has(inRel(e)), `${inRel(e)} planned by ${seen.get(inRel(e))} and ${k}`).toBe(false);
      seen.set(inRel(e), k);
      expect(shardOfRel(inRel(e), count), inRel(e)).toBe(k);
    }
  }
  expect([...seen.keys()].sort()).toEqual([...TREE].sort());
}

interface IndexedJob {
  apiVersion: string;
  kind: string;
  spec: {
    completionMode: string;
    completions: number;
    parallelism: number;
    backoffLimitPerIndex?: number;
    podFailurePolicy?: { rules: Array<{ action: string; onExitCodes?: { containerName?: string; operator: string; values: number[] } }> };
    template: {
      spec: {
        restartPolicy: string;
        containers: Array<{ name: string; image: string; args: string[]; env?: Array<{ name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }> }>;
      };
    };
  };
}

describe('deploy/k8s/restore-indexed-job.yaml', () => {
  const job = yaml.load(readFileSync(path.join(ROOT, 'deploy', 'k8s', 'restore-indexed-job.yaml'), 'utf8')) as IndexedJob;
  const container = job.spec.template.spec.containers[0]!;

  it('is an Indexed Job whose completions are the N of --shard $(JOB_COMPLETION_INDEX)/N', () => {
    expect([job.apiVersion, job.kind]).toEqual(['batch/v1', 'Job']);
    expect(job.spec.completionMode).toBe('Indexed');
    const shard = container.args[container.args.indexOf('--shard') + 1];
    expect(shard).toMatch(/^\$\(JOB_COMPLETION_INDEX\)\/\d+$/);
    expect(Number(shard!.split('/')[1])).toBe(job.spec.completions);
    expect(job.spec.parallelism).toBeGreaterThanOrEqual(1);
    expect(job.spec.parallelism).toBeLessThanOrEqual(job.spec.completions);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    const index = container.env?.find((e) => e.name === 'JOB_COMPLETION_INDEX');
    expect(index?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    // A usage error (exit 2) fails the index at once; FailIndex needs backoffLimitPerIndex.
    const failIndex = job.spec.podFailurePolicy?.rules.find((r) => r.action === 'FailIndex');
    expect(failIndex?.onExitCodes).toMatchObject({ containerName: container.name, operator: 'In', values: [2] });
    expect(job.spec.backoffLimitPerIndex).toBeGreaterThanOrEqual(1);
    expect(container.image).toMatch(/restore-studio:cpu$/);
  });

  it('docs/cluster.md shows the same Job', () => {
    const docs = readFileSync(path.join(ROOT, 'docs', 'cluster.md'), 'utf8');
    const block = /```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
    const shown = yaml.load(block!) as IndexedJob;
    expect(shown.spec.completionMode).toBe(job.spec.completionMode);
    expect([shown.spec.completions, shown.spec.parallelism]).toEqual([job.spec.completions, job.spec.parallelism]);
    expect(shown.spec.podFailurePolicy).toEqual(job.spec.podFailurePolicy);
    const c = shown.spec.template.spec.containers[0]!;
    expect([c.args, c.env, c.image]).toEqual([container.args, container.env, container.image]);
  });

  it('its args, for every index, plan each file exactly once; one index runs for real', async () => {
    const count = job.spec.completions;
    // What the kubelet runs: the image's ENTRYPOINT (node bin/restore.js) + args with $(VAR) expanded.
    const argsFor = (k: number): string[] =>
      container.args.map((a) => a.replaceAll('$(JOB_COMPLETION_INDEX)', String(k)).replace(/^\/data(?=\/|$)/, path.join(dir, 'data')));
    expect(argsFor(3)).toContain(`3/${count}`);
    const plans: Event[][] = [];
    for (let k = 0; k < count; k++) plans.push(await dryRun(argsFor(k)));
    expectPartition(plans, count);

    const k = plans.findIndex((p) => p.length >= 2);
    const real = await restore([...argsFor(k), '--models-dir', models.dir, '--threads', '1'], { timeoutMs: 60_000 });
    expect(real.code, real.stderr).toBe(0);
    const mine = TREE.filter((f) => shardOfRel(f, count) === k);
    expect(ofType(real.events, 'file-done').map(inRel).sort()).toEqual([...mine].sort());
    expect(ofType(real.events, 'summary')[0]).toMatchObject({ done: mine.length, failed: 0, shard: { index: k, count } });
    expect((await listFiles(path.join(dir, 'data', 'out'))).map((f) => f.split(path.sep).join('/'))).toEqual([...mine].sort());
  });
});

describe('deploy/slurm/restore-array.sh', () => {
  const script = path.join(ROOT, 'deploy', 'slurm', 'restore-array.sh');
  const text = readFileSync(script, 'utf8');
  const array = /^#SBATCH --array=(\d+)-(\d+)$/m.exec(text);
  const shards = Number(/^SHARDS=(\d+)/m.exec(text)?.[1]);
  const out = (): string => path.join(dir, 'slurm-out');
  const slurm = (task: number | undefined, extra: string[], env: Record<string, string> = {}) =>
    run('bash', [script, ...extra], {
      cwd: dir,
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        XDG_DATA_HOME: NO_USER_MODELS,
        RESTORE_APP_MODELS_DIR: process.env.RESTORE_APP_MODELS_DIR ?? '',
        IN: path.join(dir, 'data', 'in'),
        OUT: out(),
        RESTORE: `${process.execPath} ${BIN}`,
        SLURM_CPUS_PER_TASK: '1',
        ...(task === undefined ? {} : { SLURM_ARRAY_TASK_ID: String(task), SLURM_ARRAY_TASK_COUNT: String(shards), SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: String(shards - 1) }),
        ...env,
      },
    });

  it('is valid bash; its array 0..N-1 matches its SHARDS', async () => {
    await run('bash', ['-n', script]);
    expect(array).not.toBeNull();
    expect([Number(array![1]), Number(array![2]) + 1]).toEqual([0, shards]);
    expect(text).toContain('--shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}"');
  });

  it('every array task plans its own shard: each file exactly once; one task runs for real', async () => {
    // The command line each task runs: printf prints it, one argument a line.
    const plans: Event[][] = [];
    for (let k = 0; k < shards; k++) {
      const { stdout } = await slurm(k, ['--sigma', '10'], { RESTORE: 'printf %s\\n' });
      const argv = stdout.split('\n').slice(0, -1);
      expect(argv.slice(0, 5)).toEqual(['denoise', path.join(dir, 'data', 'in'), '-o', out(), '--recursive']);
      expect(argv.slice(5, 7)).toEqual(['--shard', `${k}/${shards}`]);
      plans.push(await dryRun(argv));
    }
    expectPartition(plans, shards);

    const k = plans.findIndex((p) => p.length >= 2);
    const real = await slurm(k, ['--sigma', '10', '--models-dir', models.dir]);
    const ev = events(real.stdout);
    const mine = TREE.filter((f) => shardOfRel(f, shards) === k);
    expect(ev.filter((e) => e.type === 'file-done').map(inRel).sort()).toEqual([...mine].sort());
    expect(ev.find((e) => e.type === 'summary')).toMatchObject({ done: mine.length, failed: 0, shard: { index: k, count: shards } });
    expect((await listFiles(out())).map((f) => f.split(path.sep).join('/'))).toEqual([...mine].sort());
  });

  it('refuses a task beyond the shards or outside an array; a rerun of some tasks is only noted', async () => {
    const failed = (e: { code: number; stderr: string }) => e;
    const beyond = await slurm(3, ['--dry-run'], { SLURM_ARRAY_TASK_COUNT: '17', SLURM_ARRAY_TASK_MAX: '16' }).then(() => ({ code: 0, stderr: '' }), failed);
    expect(beyond.code).toBe(2);
    expect(beyond.stderr).toContain(`use --array=0-${shards - 1}`);
    const id = await slurm(shards, ['--dry-run'], { SLURM_ARRAY_TASK_MAX: '0' }).then(() => ({ code: 0, stderr: '' }), failed);
    expect(id.code).toBe(2);
    const junk = await slurm(0, ['--dry-run'], { SLURM_ARRAY_TASK_ID: '1x' }).then(() => ({ code: 0, stderr: '' }), failed);
    expect([junk.code, junk.stderr]).toEqual([2, expect.stringContaining('whole number')]);
    const outside = await slurm(undefined, ['--dry-run']).then(() => ({ code: 0, stderr: '' }), failed);
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toContain('SLURM_ARRAY_TASK_ID');
    // sbatch --array=3,11 (a rerun): runs its shard, with a note.
    const rerun = await slurm(3, ['--dry-run'], { SLURM_ARRAY_TASK_COUNT: '2', SLURM_ARRAY_TASK_MIN: '3', SLURM_ARRAY_TASK_MAX: '11' });
    expect(rerun.stderr).toContain('this array has 2 of the 16 shards');
    expect(events(rerun.stdout).filter((e) => e.type === 'plan').every((e) => shardOfRel(inRel(e), shards) === 3)).toBe(true);
  });
});
