// `restore models [--models-dir DIR]... [--json]`: lists the installed models (the app's
// manifest, the user's model folder and the extra folders): id, task, scale, parameters and
// quality (its headline scores, models/headline.ts), or "no trained models yet".
import type { ManifestEntry } from '../../../models/manifest';
import { detectionScores, headlineEvaluation } from '../../../models/headline';
import { loadModels, ModelError } from '../../../models/registry';
import { parseCommandArgs, UsageError } from '../args';
import type { CliIO } from '../io';
import { createEventWriter } from '../events';
import { modelFolders } from '../../paths';
import path from 'node:path';

const options = {
  'models-dir': { type: 'string', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: restore models [--models-dir <dir>]... [--json]

Lists the installed models: the app's models/manifest.json, the user's model folder
(Linux: $XDG_DATA_HOME/restore-studio/models, default ~/.local/share/restore-studio/models;
Windows: %APPDATA%\\restore-studio\\models; macOS: ~/Library/Application Support/restore-studio/models) and the
extra folders given.
  --models-dir <dir>       extra folder holding a manifest.json (repeatable)
  --json                   one JSON object per model ({"type":"model", ...}) on stdout
`;

/** "CBSD68 s25 31.20 dB; McMaster s25 31.72 dB" from the headline rows (models/headline.ts: one
 * per benchmark set, as the Models view shows; a detector's F1 at its shipped threshold). */
export function qualityOf(entry: ManifestEntry, rows = 2): string {
  const detection = entry.task === 'detect-damage' ? detectionScores(entry) : [];
  if (detection.length > 0) return detection.map((r) => `${r.set} F1 ${r.f1.toFixed(2)}`).join('; '); // a few sets, all shown
  return headlineEvaluation(entry.evaluation)
    .filter((r) => r.psnr !== undefined)
    .slice(0, rows)
    .map((r) => `${r.set}${r.sigma !== undefined ? ` s${r.sigma}` : ''}${r.scale !== undefined ? ` x${r.scale}` : ''} ${r.psnr!.toFixed(2)} dB`)
    .join('; ');
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let values;
  try {
    ({ values } = parseCommandArgs(args, options));
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`restore models: ${e.message} (see --help)\n`);
      return 2;
    }
    throw e;
  }
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  let models;
  try {
    models = await loadModels(modelFolders((values['models-dir'] ?? []).map((d) => path.resolve(io.cwd, d)), io.env));
  } catch (e) {
    if (e instanceof ModelError) {
      io.stderr(`restore models: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (values.json) {
    const write = createEventWriter(io.stdout);
    for (const m of models) {
      const e = m.entry;
      write({ type: 'model', id: e.id, task: e.task, scale: e.scale, parameters: e.parameters, architecture: e.architecture, path: m.path, evaluation: e.evaluation });
    }
    return 0;
  }
  if (models.length === 0) {
    io.stdout('no trained models yet\n');
    return 0;
  }
  const rows = models.map((m) => [m.entry.id, m.entry.task + (m.entry.task === 'upscale' ? ` x${m.entry.scale}` : ''), m.entry.parameters.toLocaleString('en-US'), qualityOf(m.entry) || '-']);
  const head = ['id', 'task', 'params', 'quality'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) io.stdout(r.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd() + '\n');
  return 0;
}
