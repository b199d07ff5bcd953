// Output path planning for batch runs (planOutputs: pure, no file system access). Rules (DESIGN.md "Command
// line"): `-o` names a file when there is exactly one input file (and -o is not an existing
// folder or written with a trailing separator); otherwise `-o` is a folder that mirrors the input
// tree: one folder argument maps its contents straight into -o, several arguments map each file to
// -o/<name> and each folder to -o/<folder name>/<relative path>. `--format` changes the
// extension; `same` keeps the input's format when it can be written (else PNG). Two inputs that
// would land on one output, or an output that would overwrite an input (or the mask), are refused.
// checkPlanOnDisk then looks at the disk: an output that is an input through a symlink or a hard
// link (same device and inode), or two outputs in one place through a symlinked folder, is
// refused too, before anything is processed (not only by the write's own last-moment check).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { OutputFormat } from '../engine/protocol';
import { extensionFor, formatFromPath } from '../imageio/formats';
import type { WriteFormat } from '../imageio/types';
import type { InputFile } from './inputs';

/** Two inputs that differ only in extension (photo.bmp and photo.png) get one output name: nothing is renamed behind the user's back. */
const BOTH_HINT = ': rename one of them, or process them in separate runs';

export interface PlannedFile {
  input: string;
  output: string;
  format: WriteFormat;
}

export interface PlanOptions {
  /** The -o argument, resolved against cwd by the caller or relative to it. */
  output: string;
  cwd: string;
  format: OutputFormat;
  /** True when -o exists as a folder or ends with a path separator. */
  outputIsFolder: boolean;
  /** Number of path arguments on the command line. */
  argCount: number;
  /** Files that must never be written (the inputs are always included). */
  protect?: string[];
  /** Compare paths case-insensitively (default: true on macOS and Windows). */
  caseInsensitive?: boolean;
}

/** A plan that cannot be carried out (usage error: nothing has been written). */
export class PlanError extends Error {
  /** `overwrites`: the input an output would be written over (the app words that itself: api/outputWording.ts). */
  constructor(
    message: string,
    readonly overwrites?: string,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

/** Output name for one input inside the output folder, extension per format. */
function mapName(rel: string, format: OutputFormat): { rel: string; format: WriteFormat } {
  const ext = path.extname(rel);
  const same = formatFromPath(rel);
  if (format === 'same' && same) return { rel, format: same };
  const target: WriteFormat = format === 'same' ? 'png' : format;
  if (same === target) return { rel, format: target }; // keep .jpeg / .JPG spelling
  return { rel: rel.slice(0, rel.length - ext.length) + extensionFor(target), format: target };
}

/**
 * Where an input sits in the mirrored output tree, before the extension is mapped (native
 * separators): its path relative to its folder argument; with several arguments, prefixed by that
 * folder's name (a file argument: its name). Also the key that `--shard` hashes (./shard.ts).
 */
export function treePath(input: InputFile, argCount: number): string {
  if (argCount > 1) return input.fromFolder ? path.join(path.basename(input.root), input.rel) : path.basename(input.path);
  return input.rel;
}

export function planOutputs(inputs: InputFile[], opts: PlanOptions): PlannedFile[] {
  const insensitive = opts.caseInsensitive ?? (process.platform === 'darwin' || process.platform === 'win32');
  const key = (p: string): string => (insensitive ? p.toLowerCase() : p);
  const outArg = path.resolve(opts.cwd, opts.output);
  const plans: PlannedFile[] = [];

  const single = inputs.length === 1 && opts.argCount === 1 && !inputs[0]!.fromFolder && !opts.outputIsFolder;
  if (single) {
    const input = inputs[0]!;
    const fromName = formatFromPath(outArg);
    if (fromName && opts.format !== 'same' && fromName !== opts.format) {
      throw new PlanError(`${opts.output}: extension does not match --format ${opts.format}`);
    }
    const format = fromName ?? (opts.format === 'same' ? (formatFromPath(input.path) ?? 'png') : opts.format);
    plans.push({ input: input.path, output: outArg, format });
  } else {
    for (const input of inputs) {
      const mapped = mapName(treePath(input, opts.argCount), opts.format);
      plans.push({ input: input.path, output: path.join(outArg, mapped.rel), format: mapped.format });
    }
  }

  const protectedPaths = new Map<string, string>();
  for (const p of [...inputs.map((i) => i.path), ...(opts.protect ?? [])]) protectedPaths.set(key(path.resolve(opts.cwd, p)), p);
  const byOutput = new Map<string, string>();
  for (const plan of plans) {
    const k = key(plan.output);
    const hit = protectedPaths.get(k);
    if (hit !== undefined) throw new PlanError(`${plan.input}: output ${plan.output} would overwrite an input; choose another -o or --format`, hit);
    const other = byOutput.get(k);
    if (other !== undefined) throw new PlanError(`${plan.input} and ${other} would both be written to ${plan.output}${BOTH_HINT}`);
    byOutput.set(k, plan.input);
  }
  return plans;
}

/** The real path `file` would have: its nearest existing ancestor resolved, the rest appended. */
async function realTarget(file: string, cache: Map<string, string>): Promise<string> {
  const dir = path.dirname(file);
  let real = cache.get(dir);
  if (real === undefined) {
    const parent = path.dirname(dir);
    real = await fs.realpath(dir).catch(() => (parent === dir ? dir : realTarget(dir, cache)));
    cache.set(dir, real);
  }
  return path.join(real, path.basename(file));
}

/**
 * Checks a plan against the disk (inputs and `protect` resolved against `cwd`): throws PlanError
 * when an output already is one of them through a link, or when two outputs are one file through
 * a symlinked folder.
 */
export async function checkPlanOnDisk(plans: readonly PlannedFile[], protect: readonly string[], cwd: string): Promise<void> {
  const ids = new Map<string, string>();
  for (const p of new Set([...plans.map((f) => f.input), ...protect.map((f) => path.resolve(cwd, f))])) {
    const st = await fs.stat(p).catch(() => null);
    if (st) ids.set(`${st.dev}:${st.ino}`, p);
  }
  const dirs = new Map<string, string>();
  const byReal = new Map<string, string>();
  for (const plan of plans) {
    const st = await fs.stat(plan.output).catch(() => null);
    const hit = st ? ids.get(`${st.dev}:${st.ino}`) : undefined;
    if (hit !== undefined) {
      throw new PlanError(`${plan.input}: output ${plan.output} would overwrite an input (${hit}, the same file through a link); choose another -o or --format`, hit);
    }
    const real = await realTarget(plan.output, dirs);
    const other = byReal.get(real);
    if (other !== undefined) throw new PlanError(`${plan.input} and ${other} would both be written to ${real}${BOTH_HINT}`);
    byReal.set(real, plan.input);
  }
}
