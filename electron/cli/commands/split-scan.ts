// `restore split-scan <scan...> -o <folder>`: cuts the prints of flatbed scans that hold several
// photos each into one file per print, straightened (electron/scan/). Folders are searched (with
// --recursive, their whole tree) and mirrored under the output folder; the prints of scan.tif
// become scan-1.tif, scan-2.tif, ... in reading order. A scan whose first print file exists is
// skipped (resume), unless --overwrite. No model and no engine process: it runs in this process.
// `--json` events: file-done (extra fields `outputs` and `prints`), file-skipped, file-failed,
// summary, as for the processing commands.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { enumerateInputs, describeOtherFiles, InputError } from '../../batch/inputs';
import { treePath } from '../../batch/plan';
import { probeImage } from '../../imageio/probe';
import { printPath, splitFormat, splitScan, type SplitOptions } from '../../scan/splitScan';
import { parseChoice, parseCommandArgs, parseIntOption, parseNumber, UsageError } from '../args';
import { createEventWriter, type CliEvent } from '../events';
import type { CliIO } from '../io';

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  recursive: { type: 'boolean', short: 'r' },
  'min-size': { type: 'string' },
  format: { type: 'string' },
  depth: { type: 'string' },
  quality: { type: 'string' },
  'no-metadata': { type: 'boolean' },
  overwrite: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const HELP = `Usage: restore split-scan <scan...> -o <output folder> [--min-size <percent>]

Cuts the prints of flatbed scans holding several photos each (on the lid's plain white or black
background, a gap between them) into one file per print, straightened: scan.tif gives scan-1.tif,
scan-2.tif, ... (rows from the top, left to right). The scans are never changed.
  -o, --output <folder>    where the prints go (folders given as inputs are mirrored under it)
  --min-size <percent>     smallest print, in percent of the scan's area (default 2)
  -r, --recursive          search input folders recursively
  --format <f>             same|png|jpg|tif|webp (default same: the scan's, or PNG)
  --depth <8|16>           output bit depth (default: the scan's)
  --quality <1-100>        JPEG/WebP quality (default 92)
  --no-metadata            do not copy EXIF/ICC/XMP to the prints
  --overwrite              split again scans whose first print file exists (default: skip them)
  --json                   one JSON event per line on stdout
  -h, --help               this help
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  let values, positionals;
  let opts: SplitOptions;
  try {
    ({ values, positionals } = parseCommandArgs(args, OPTIONS));
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('no scan given');
    if (!values.output) throw new UsageError('-o <output folder> is required');
    const depth = parseChoice('depth', values.depth, ['8', '16'] as const);
    const quality = parseIntOption('quality', values.quality, 1, 100);
    opts = {
      minShare: (parseNumber('min-size', values['min-size'], 0.1, 90) ?? 2) / 100,
      format: parseChoice('format', values.format, ['same', 'png', 'jpg', 'tif', 'webp'] as const) ?? 'same',
      ...(depth !== undefined ? { depth: Number(depth) as 8 | 16 } : {}),
      ...(quality !== undefined ? { quality } : {}),
      keepMetadata: !(values['no-metadata'] ?? false),
      protect: [],
    };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`restore split-scan: ${e.message}\n\n${HELP}`);
    return 2;
  }
  const outDir = path.resolve(io.cwd, values.output);
  let inputs;
  try {
    inputs = await enumerateInputs(positionals, { recursive: values.recursive ?? false, cwd: io.cwd, exclude: [outDir] });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`restore split-scan: ${e.message}\n`);
    return 2;
  }
  for (const folder of inputs.emptyFolders) {
    const others = describeOtherFiles(inputs.otherFiles[folder] ?? {});
    io.stderr(`restore split-scan: ${folder}: no image found${others ? ` (${others})` : ''}${values.recursive ? '' : '; --recursive searches its subfolders'}\n`);
  }
  if (inputs.files.length === 0) return 2;
  const write = createEventWriter(io.stdout);
  const emit = (event: CliEvent): void => {
    if (values.json) write(event);
  };
  const say = (line: string): void => {
    if (!values.json) io.stderr(`${line}\n`);
  };
  opts.protect = inputs.files.map((f) => f.path);
  const start = Date.now();
  let done = 0, skipped = 0, failed = 0, stopped = false;
  // Ctrl-C: the scan being split is finished (its prints are written whole), then the run stops
  const unsubscribe = io.onInterrupt(() => {
    stopped = true;
  });
  let i = 0;
  for (; i < inputs.files.length && !stopped; i++) {
    const file = inputs.files[i]!;
    emit({ type: 'progress', done: i, total: inputs.files.length, etaSeconds: null, fraction: i / inputs.files.length, current: file.path });
    const rel = treePath(file, positionals.length);
    const stem = path.join(outDir, rel.slice(0, rel.length - path.extname(rel).length));
    const t0 = Date.now();
    try {
      if (!values.overwrite) {
        const first = printPath(stem, 1, splitFormat(opts, (await probeImage(file.path)).format));
        if (await fs.lstat(first).then(() => true, () => false)) {
          skipped++;
          emit({ type: 'file-skipped', input: file.path, output: first, reason: 'output exists' });
          say(`skipped ${file.path}: ${first} exists (--overwrite splits it again)`);
          continue;
        }
      }
      const result = await splitScan(file.path, stem, opts);
      done++;
      const seconds = (Date.now() - t0) / 1000;
      const note = result.irregular > 0 ? `${result.irregular} more region${result.irregular === 1 ? '' : 's'} left out: not rectangular (prints touching?)` : undefined;
      emit({ type: 'file-done', input: file.path, output: result.outputs[0]!, outputs: result.outputs, prints: result.prints.length, seconds, ...(note ? { note } : {}) });
      say(`done ${file.path} -> ${result.outputs.length} print${result.outputs.length === 1 ? '' : 's'} (${seconds.toFixed(1)} s)`);
      for (const [k, out] of result.outputs.entries()) {
        const p = result.prints[k]!;
        say(`  ${out}  ${Math.round(p.width)} x ${Math.round(p.height)}, turned ${p.angle.toFixed(1)} degrees`);
      }
      if (note) say(`  note: ${note}`);
    } catch (e) {
      failed++;
      const error = e instanceof Error ? e.message : String(e);
      emit({ type: 'file-failed', input: file.path, error });
      io.stderr(`error: ${error}\n`);
    }
  }
  unsubscribe();
  const seconds = (Date.now() - start) / 1000;
  const remaining = inputs.files.length - i;
  emit({ type: 'summary', done, skipped, failed, seconds, provider: 'cpu', interrupted: stopped && remaining > 0, remaining });
  say(`${done} split, ${skipped} skipped, ${failed} failed in ${Math.round(seconds)}s${remaining > 0 ? `; interrupted, ${remaining} not split` : ''}`);
  return failed > 0 || remaining > 0 ? 1 : 0;
}
