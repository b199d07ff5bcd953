// Shared pieces of the trust probe (issue 16): the tally each group fills (cases tried and the bad
// outcomes), a snapshot of a folder tree (content hash, mode and mtime of every entry, links by
// target) to tell whether inputs or sentinels changed, the test for a stack trace on stderr, the
// names of temporary files a run must not leave behind, and a CLI run that records a hang
// instead of throwing.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { restore, type RunOptions, type RunResult } from '../cli/helpers';
import { STACK, snapshotTree } from '../fixtures/treeSnapshot';

export interface Tally {
  group: string;
  tried: number;
  crashes: number;
  hangs: number;
  inputsModified: number;
  outputsLost: number;
  /** Temporaries or workspace files left behind; for the bridge also memory not given back. */
  leaks: number;
  confinementBreaks: number;
  /** Bridge only: answers with a 5xx status. */
  serverErrors: number;
  /** Not a crash but not the documented answer either: an unexpected exit code, status or count. */
  wrong: number;
  /** One line per bad outcome (what, where), for the report. */
  findings: string[];
}

export function newTally(group: string): Tally {
  return { group, tried: 0, crashes: 0, hangs: 0, inputsModified: 0, outputsLost: 0, leaks: 0, confinementBreaks: 0, serverErrors: 0, wrong: 0, findings: [] };
}

export type Outcome = 'crashes' | 'hangs' | 'inputsModified' | 'outputsLost' | 'leaks' | 'confinementBreaks' | 'serverErrors' | 'wrong';

/** Counts one bad outcome and keeps a line saying what it was. */
export function bad(t: Tally, kind: Outcome, what: string): void {
  t[kind]++;
  t.findings.push(`${kind}: ${what}`);
  console.error(`  [${t.group}] ${kind}: ${what}`);
}

export { STACK };
/** Names that only a temporary or partial file has. */
export const TEMP_NAME = /^\.rs-|\.tmp$|\.part$|\.partial$|\.crdownload$/;

/** Every entry under root (or under its subfolders `only`) without following links (test/fixtures/treeSnapshot.ts). */
export async function snapshot(root: string, only?: string[]): Promise<Map<string, string>> {
  if (!only) return snapshotTree(root);
  const out = new Map<string, string>();
  for (const sub of only) for (const [k, v] of await snapshotTree(path.join(root, sub))) out.set(path.join(sub, k), v);
  return out;
}

/** Entries added, removed or changed between two snapshots. */
export function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of before) if (after.get(k) !== v) out.push(after.has(k) ? `changed ${k}` : `removed ${k}`);
  for (const k of after.keys()) if (!before.has(k)) out.push(`added ${k}`);
  return out;
}

/** Temporary-looking files anywhere under root (regular files and links; missing root: none). */
export async function temporaries(root: string): Promise<string[]> {
  const all = await fs.readdir(root, { recursive: true }).catch(() => [] as string[]);
  return all.map(String).filter((f) => TEMP_NAME.test(path.basename(f)));
}

export interface CliRun extends RunResult {
  hung: boolean;
  ms: number;
}

/** `restore <args>`; a run over the timeout is killed and reported as hung (never thrown). */
export async function cli(args: string[], opts: RunOptions = {}): Promise<CliRun> {
  const t0 = Date.now();
  try {
    const r = await restore(args, opts);
    return { ...r, hung: false, ms: Date.now() - t0 };
  } catch (e) {
    return { code: null, signal: 'SIGKILL', stdout: '', stderr: (e as Error).message, events: [], hung: true, ms: Date.now() - t0 };
  }
}

/**
 * The documented exit codes are 0, 1 and 2 (DESIGN.md, Command line); anything else, a signal the
 * probe did not send, or a stack trace on stderr is a crash.
 */
export function crashOf(r: CliRun, expectSignal = false): string | null {
  if (r.hung) return null;
  if (r.signal && !expectSignal) return `killed by ${r.signal}`;
  if (!expectSignal && r.code !== 0 && r.code !== 1 && r.code !== 2) return `exit code ${r.code}`;
  if (STACK.test(r.stderr)) return `stack trace on stderr: ${r.stderr.split('\n').slice(0, 3).join(' | ')}`;
  return null;
}

/** Resident memory of a process in MB (from /proc), or 0 when it is gone. */
export async function rssMb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return m ? Number(m[1]) / 1024 : 0;
}

/** Child processes of pid (from /proc), with their command lines. */
export async function childrenOf(pid: number): Promise<Array<{ pid: number; cmd: string }>> {
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const name of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await fs.readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.replace(/^.*\)\s+\S+\s+/, '').split(' ')[0]);
    if (ppid !== pid) continue;
    const cmd = (await fs.readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ');
    out.push({ pid: Number(name), cmd });
  }
  return out;
}
