// `restore eval`: scores a model on an evaluation set with the protocols of shared/data/README.md
// (training/eval/evaluate.ts) and prints the table beside DESIGN.md's published anchors
// (models/anchors.ts); --json prints one `eval` object per row and a `summary`. Without --model
// the task's first installed model is used; with none installed only the baselines are scored.
import path from 'node:path';
import os from 'node:os';
import { TASKS, type TaskName } from '../../../models/manifest';
import { anchorsFor } from '../../../models/anchors';
import { loadModels, modelsForTask, resolveModel, verifyModelFile, ModelError } from '../../../models/registry';
import { evaluate, type CropInfo, type EvalRow } from '../../../training/eval/evaluate';
import { ModelRunner } from '../../../training/eval/runner';
import { parseChoice, parseCommandArgs, parseIntOption, parseNumber, UsageError } from '../args';
import type { CliIO } from '../io';
import { modelFolders } from '../../paths';
import { runNoiseEstimateEval } from './evalNoiseEstimate';
import { runRepairEval } from './evalRepair';
import { recordEvaluation } from '../../../training/eval/record';
import { SELF_ENSEMBLE_PROTOCOL_SUFFIX } from '../../engine/selfEnsemble';
import type { SweepPoint } from '../../../training/eval/detect';

const HELP = `Usage: restore eval --task <task> --set <folder> [--model <id|file>] [--sigma N] [--scale N]

  --task <t>          denoise|upscale|colorize|inpaint|detect-damage, or noise-estimate (the error of
                      denoise --sigma auto's estimator; all of 5/15/25/50/75 without --sigma), or
                      repair (the whole old-photo chain, restore repair with its default models, on
                      the set's photos with thin scratches, or with --old-print old-print
                      degradations; scored against the clean photos beside the damaged input)
  --set <folder>      evaluation images (for upscale: a folder with x<scale>/HR and x<scale>/LR)
  --model <id|file>   model to score (default: the task's first installed model)
  --sigma <n>         denoise noise level, 0-255 scale (default 25)
  --scale <2|4>       upscale factor (default: the model's)
  --hints <n[,n..]>   colorize: also colourize with n colour points sampled from each reference
                      (positions normal about the centre, sd = side/4; colour = its 5x5 mean);
                      0 = automatic (default 0; e.g. --hints 0,10,100)
  --old-print         denoise, repair: the old-print protocol (gray photos with blur, correlated film
                      grain and JPEG) instead of white noise; a white-noise denoiser is scored at
                      its best manual sigma for the set
  --inputs <dir>      denoise: score on degraded files you made (e.g. a collection's real noise:
                      training/recipes/noisy_collection.mjs), each paired with the same-named
                      reference of --set (any extension); a white-noise denoiser at its best
                      manual sigma for the set, a blind (fine-tuned --noisy) one at its own level
  --masks <dir>       inpaint: also write each free-form mask and its white-hole input as PNG
                      (for training/recipes/inpaint_baselines.py: OpenCV Telea / Navier-Stokes)
  --threshold <0-1>   detect-damage: score at this threshold (default: the model's calibrated one)
  --calibrate         detect-damage: sweep thresholds (alone, and with marks followed down to a
                      lower one) and report the best F1 among those marking at most 0.5% of the
                      undamaged photos, every pair tried on stderr (--json: "calibration" events);
                      use a calibration set, not an eval set
  --crops <dir>       also write before/after pictures (reference | input | output) of the most
                      textured window of the first images (denoise: the 8-bit file path)
  --crops-count <n>   how many images get a picture (default 3)
  --tta               score the self-ensemble (restore denoise/upscale --tta: the mean over the
                      8 flips/rotations); its rows' protocol ends in ", TTA x8"
  --record            store the model's rows in its manifest entry (replacing rows of the same
                      set, setting and protocol) and regenerate its model card
  --threads <n>, --provider <cpu|cuda|dml>, --models-dir <dir>, --json
Protocols: shared/data/README.md. Denoising is reported with float unclipped noise (as the
published tables) and with 8-bit clipped noisy files; super-resolution on Y with a border of scale.
`;

const OPTIONS = {
  task: { type: 'string' }, set: { type: 'string' }, model: { type: 'string' }, sigma: { type: 'string' }, scale: { type: 'string' }, hints: { type: 'string' },
  threads: { type: 'string' }, provider: { type: 'string' }, 'models-dir': { type: 'string', multiple: true },
  masks: { type: 'string' }, 'old-print': { type: 'boolean' }, inputs: { type: 'string' }, threshold: { type: 'string' }, calibrate: { type: 'boolean' },
  crops: { type: 'string' }, 'crops-count': { type: 'string' }, record: { type: 'boolean' }, tta: { type: 'boolean' },
  json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

/** --hints "0,10,100": colour-point counts, 0-1000 each. */
function parseHintCounts(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(',');
  const counts = parts.map((p) => (/^\d{1,4}$/.test(p.trim()) ? Number(p.trim()) : NaN));
  if (counts.some((c) => !Number.isInteger(c) || c > 1000)) throw new UsageError(`--hints ${v}: expected counts 0-1000 separated by commas`);
  return [...new Set(counts)];
}

/** "   precision 0.81 recall 0.77 F1 0.79, 0.12% marked on clean photos (threshold 0.45)" of a detect-damage row. */
function detection(r: EvalRow): string {
  if (r.f1 === undefined) return '';
  return `   precision ${r.precision?.toFixed(3)} recall ${r.recall?.toFixed(3)} F1 ${r.f1.toFixed(3)}, ${r.markedClean?.toFixed(3)}% marked on clean photos (threshold ${r.threshold})`;
}

function formatTable(rows: EvalRow[], task: TaskName): string {
  const lines = ['set        setting    method                    protocol                          PSNR   anchors (same set and setting)'];
  for (const r of rows) {
    const setting = r.sigma !== undefined ? `sigma ${r.sigma}` : r.scale !== undefined ? `x${r.scale}` : r.hints !== undefined ? `${r.hints} pts` : r.maskArea ?? '-';
    const anchors = anchorsFor(task, r.set, { sigma: r.sigma, scale: r.scale, maskArea: r.maskArea }).map((a) => `${a.method} ${a.psnr.toFixed(2)}`).join(', ');
    const cf = r.colorfulness !== undefined ? `   colourfulness ${r.colorfulness.toFixed(1)} (reference ${r.referenceColorfulness?.toFixed(1) ?? '?'})` : '';
    lines.push(`${r.set.padEnd(10)} ${setting.padEnd(10)} ${r.method.slice(0, 25).padEnd(25)} ${r.protocol.slice(0, 32).padEnd(32)} ${(r.psnr?.toFixed(2) ?? '-').padStart(6)}${cf}${detection(r)}   ${anchors}`);
  }
  return lines.join('\n') + '\n';
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let o;
  try {
    const { values } = parseCommandArgs(args, OPTIONS);
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    const task = parseChoice('task', values.task, [...TASKS, 'noise-estimate', 'repair'] as const);
    if (!task) throw new UsageError('--task is required (denoise|upscale|colorize|inpaint|detect-damage|noise-estimate|repair)');
    if (!values.set) throw new UsageError('--set <folder> is required');
    if (task === 'noise-estimate') {
      const sigma = parseIntOption('sigma', values.sigma, 0, 255);
      return await runNoiseEstimateEval({ set: path.resolve(io.cwd, values.set), sigma, json: values.json ?? false }, io);
    }
    if (task === 'repair') {
      const refused = (['model', 'sigma', 'scale', 'hints', 'inputs', 'masks', 'threshold', 'calibrate', 'record', 'tta'] as const).filter((k) => values[k] !== undefined);
      if (refused.length > 0) throw new UsageError(`--${refused[0]} does not apply to --task repair (the chain uses each step's default model)`);
      return await runRepairEval({
        set: path.resolve(io.cwd, values.set), protocol: values['old-print'] ? 'old-print' : 'scratches',
        threads: parseIntOption('threads', values.threads, 1, 1024) ?? Math.max(1, os.availableParallelism()),
        provider: parseChoice('provider', values.provider, ['cpu', 'cuda', 'dml'] as const) ?? 'cpu',
        modelsDirs: (values['models-dir'] ?? []).map((d) => path.resolve(io.cwd, d)),
        ...(values.crops ? { crops: path.resolve(io.cwd, values.crops) } : {}),
        cropsCount: parseIntOption('crops-count', values['crops-count'], 1, 1000) ?? 3, json: values.json ?? false,
      }, io);
    }
    o = {
      task: task as TaskName,
      set: path.resolve(io.cwd, values.set),
      model: values.model && /\.onnx$|[\\/]/i.test(values.model) ? path.resolve(io.cwd, values.model) : values.model,
      sigma: parseIntOption('sigma', values.sigma, 0, 255),
      scale: parseChoice('scale', values.scale, ['2', '4'] as const),
      threads: parseIntOption('threads', values.threads, 1, 1024) ?? Math.max(1, os.availableParallelism()),
      provider: parseChoice('provider', values.provider, ['cpu', 'cuda', 'dml'] as const) ?? 'cpu',
      dirs: modelFolders((values['models-dir'] ?? []).map((d) => path.resolve(io.cwd, d))),
      json: values.json ?? false,
      crops: values.crops ? path.resolve(io.cwd, values.crops) : undefined,
      cropsCount: parseIntOption('crops-count', values['crops-count'], 1, 1000) ?? 3,
      record: values.record ?? false,
      tta: values.tta ?? false,
      hints: parseHintCounts(values.hints),
      masks: values.masks ? path.resolve(io.cwd, values.masks) : undefined,
      threshold: parseNumber('threshold', values.threshold, 0.001, 0.999),
      calibrate: values.calibrate ?? false,
      oldPrint: values['old-print'] ?? false,
      inputs: values.inputs ? path.resolve(io.cwd, values.inputs) : undefined,
    };
    if (o.inputs && (o.task !== 'denoise' || o.oldPrint)) throw new UsageError('--inputs is for --task denoise (without --old-print)');
    if (o.oldPrint && o.task !== 'denoise') throw new UsageError('--old-print is for --task denoise or repair');
    if (o.masks && o.task !== 'inpaint') throw new UsageError('--masks is for --task inpaint');
    if ((o.threshold !== undefined || o.calibrate) && o.task !== 'detect-damage') throw new UsageError('--threshold and --calibrate are for --task detect-damage');
    if (o.hints && o.task !== 'colorize') throw new UsageError('--hints is for --task colorize');
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`restore eval: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  let runner: ModelRunner | null = null;
  try {
    let found;
    try {
      const scale = o.task === 'upscale' && o.scale ? Number(o.scale) : undefined;
      found = o.model
        ? await resolveModel(o.model, o.task, o.dirs)
        : modelsForTask(await loadModels(o.dirs), o.task).find((m) => scale === undefined || m.entry.scale === scale);
      if (found && scale !== undefined && found.entry.scale !== scale) {
        io.stderr(`restore eval: ${found.entry.id} upscales x${found.entry.scale}; --scale ${scale} asks for another model\n`);
        return 2;
      }
    } catch (e) {
      if (e instanceof ModelError) {
        io.stderr(`restore eval: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
    if (found) {
      await verifyModelFile(found.entry, found.path);
      runner = await ModelRunner.open(found.entry, found.path, { threads: o.threads, provider: o.provider, tta: o.tta });
    } else if (!o.json) io.stderr(`restore eval: no ${o.task} model installed; scoring the baselines only\n`);
    const t0 = Date.now();
    const onCrop = (c: CropInfo): void => {
      if (o.json) io.stdout(JSON.stringify({ type: 'crop', ...c }) + '\n');
      else io.stderr(`wrote ${c.file} (${c.panels.join(' | ')}${c.psnr.length > 0 ? `; PSNR ${c.psnr.map((p) => p.toFixed(2)).join(' / ')} dB` : ''})\n`);
    };
    const crops = o.crops && runner ? { dir: o.crops, count: o.cropsCount, onCrop } : undefined;
    // a calibration's every pair of thresholds, for the record: JSON events, or lines on stderr
    const onSweep = (p: SweepPoint): void => {
      if (o.json) io.stdout(JSON.stringify({ type: 'calibration', ...p }) + '\n');
      else io.stderr(`threshold ${p.threshold.toFixed(2)}${p.thresholdLow < p.threshold ? ` followed to ${p.thresholdLow.toFixed(2)}` : ''}: precision ${p.precision.toFixed(3)} recall ${p.recall.toFixed(3)} F1 ${p.f1.toFixed(3)}, ${p.markedClean.toFixed(3)}% marked on clean photos\n`);
    };
    const rows = await evaluate(o.task, runner, o.set, { sigma: o.sigma, scale: o.scale ? Number(o.scale) : undefined, hints: o.hints, crops, masks: o.masks, threshold: o.threshold, calibrate: o.calibrate, onSweep, oldPrint: o.oldPrint, inputs: o.inputs });
    if (runner?.tta) for (const r of rows) if (r.method === runner.entry.id) r.protocol += SELF_ENSEMBLE_PROTOCOL_SUFFIX;
    if (o.json) {
      for (const r of rows) {
        io.stdout(JSON.stringify({ type: 'eval', ...r, anchors: anchorsFor(o.task, r.set, { sigma: r.sigma, scale: r.scale, maskArea: r.maskArea }).map((a) => ({ method: a.method, psnr: a.psnr })) }) + '\n');
      }
      io.stdout(JSON.stringify({ type: 'summary', rows: rows.length, seconds: (Date.now() - t0) / 1000, model: found?.entry.id ?? null }) + '\n');
    } else io.stdout(formatTable(rows, o.task));
    if (o.record && found) {
      const entry = await recordEvaluation(found.dir, found.entry, rows);
      if (!o.json) io.stderr(`recorded ${rows.filter((r) => r.method === entry.id).length} rows in ${path.join(found.dir, 'manifest.json')} and ${entry.card}\n`);
    }
    return 0;
  } catch (e) {
    io.stderr(`restore eval: ${(e as Error).message.split('\n')[0]}\n`);
    return 1;
  } finally {
    await runner?.release();
  }
}
