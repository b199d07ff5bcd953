// Command-line argument parsing shared by every `restore` command: node's util.parseArgs in
// strict mode, the common options of DESIGN.md (--model --provider --threads --tile --recursive
// --format --depth --json, plus --quality --no-metadata --overwrite --dry-run --models-dir --shard), and value
// checks that turn every mistake into a UsageError (exit code 2) with a one-line message.
import os from 'node:os';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { BitDepth, OutputFormat, ProviderChoice } from '../engine/protocol';
import { parseShard, ShardError, type Shard } from '../batch/shard';

/** A usage error: message printed as "restore <cmd>: <message>", exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every processing command accepts. */
export const COMMON_OPTIONS = {
  output: { type: 'string', short: 'o' },
  model: { type: 'string' },
  provider: { type: 'string' },
  threads: { type: 'string' },
  tile: { type: 'string' },
  recursive: { type: 'boolean', short: 'r' },
  format: { type: 'string' },
  depth: { type: 'string' },
  quality: { type: 'string' },
  'no-metadata': { type: 'boolean' },
  overwrite: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'models-dir': { type: 'string', multiple: true },
  shard: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** parseArgs in strict mode with positionals; its errors become UsageErrors. */
export function parseCommandArgs<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, ''));
  }
}

export function parseIntOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function parseChoice<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join('|')}, got "${value}"`);
  return value as T;
}

export interface CommonOptions {
  output: string | undefined;
  model: string | undefined;
  provider: ProviderChoice;
  threads: number;
  /** 0 = the model's recommended tile. */
  tile: number;
  recursive: boolean;
  format: OutputFormat;
  depth: BitDepth | undefined;
  quality: number | undefined;
  keepMetadata: boolean;
  overwrite: boolean;
  /** Print the plan (input -> output) and stop. */
  dryRun: boolean;
  /** Absolute extra model folders. */
  modelDirs: string[];
  /** `--shard K/N`: process only the files of shard K of N (batch/shard.ts). */
  shard: Shard | undefined;
  json: boolean;
}

type CommonValues = { [K in keyof typeof COMMON_OPTIONS]?: (typeof COMMON_OPTIONS)[K] extends { multiple: true } ? string[] : (typeof COMMON_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

function shardOption(value: string | undefined): Shard | undefined {
  if (value === undefined) return undefined;
  try {
    return parseShard(value);
  } catch (e) {
    if (e instanceof ShardError) throw new UsageError(e.message);
    throw e;
  }
}

/** A --model value: a manifest id as given, a model file resolved here (the engine process may
 * not share our idea of the cwd). */
export function modelArg(value: string | undefined, cwd: string): string | undefined {
  return value && /\.onnx$|[\\/]/i.test(value) ? path.resolve(cwd, value) : value;
}

/** Checks and converts the common options' values. */
export function commonOptions(values: CommonValues, cwd: string): CommonOptions {
  const depth = parseChoice('depth', values.depth, ['8', '16'] as const);
  return {
    output: values.output,
    model: modelArg(values.model, cwd),
    provider: parseChoice('provider', values.provider, ['auto', 'cpu', 'cuda', 'dml'] as const) ?? 'auto',
    threads: parseIntOption('threads', values.threads, 1, 1024) ?? Math.max(1, os.availableParallelism()),
    tile: parseIntOption('tile', values.tile, 0, 16384) ?? 0,
    recursive: values.recursive ?? false,
    format: parseChoice('format', values.format, ['same', 'png', 'jpg', 'tif', 'webp'] as const) ?? 'same',
    depth: depth === undefined ? undefined : (Number(depth) as BitDepth),
    quality: parseIntOption('quality', values.quality, 1, 100),
    keepMetadata: !(values['no-metadata'] ?? false),
    overwrite: values.overwrite ?? false,
    dryRun: values['dry-run'] ?? false,
    modelDirs: (values['models-dir'] ?? []).map((d) => path.resolve(cwd, d)),
    shard: shardOption(values.shard),
    json: values.json ?? false,
  };
}

export const COMMON_HELP = `Common options:
  -o, --output <path>      output file (one input file) or folder (mirrors the input tree)
  --model <id|file>        model id from the manifest, or an .onnx file listed in one
  --provider <p>           auto|cpu|cuda|dml (default auto; a fallback to cpu is reported)
  --threads <n>            ONNX Runtime threads (default: all cores)
  --tile <n>               tile side in pixels (default: the model's recommended tile)
  -r, --recursive          search input folders recursively
  --format <f>             same|png|jpg|tif|webp (default same)
  --depth <8|16>           output bit depth (default: the input's)
  --quality <1-100>        JPEG/WebP quality
  --no-metadata            do not copy EXIF/ICC/XMP to the outputs
  --overwrite              re-process files whose output exists (default: skip them)
  --dry-run                print what would be written (input -> output) and stop
  --models-dir <dir>       extra folder holding a manifest.json (repeatable)
  --shard <K/N>            process only shard K (0-based) of N: a stable split of the files
                           for parallel jobs writing one output tree (docs/cluster.md)
  --json                   one JSON event per line on stdout
  -h, --help               this help`;

/** A number option within [min, max] (undefined when absent). */
export function parseNumber(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number between ${min} and ${max}, got "${v}"`);
  return n;
}
