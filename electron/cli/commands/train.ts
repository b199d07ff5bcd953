// `restore train`: trains or fine-tunes a model on a folder of images (training/trainer.ts) with
// step, validation, checkpoint and done events (--json) or one progress line per step on stderr.
// Exit 0 when the run finished (adopted or not: see the done event; also after one Ctrl-C, which
// stops it as its time budget would), 1 on failure, 2 usage error, 130 after a second Ctrl-C.
import path from 'node:path';
import os from 'node:os';
import { TASKS, type TaskName } from '../../../models/manifest';
import { resolveModel, verifyModelFile, ModelError } from '../../../models/registry';
import { freshModel, baseModel } from '../../../training/models';
import { train, exists, type TrainEvent } from '../../../training/trainer';
import { LOSS_KINDS } from '../../../training/step/losses';
import { DEFAULT_DAMAGE_MIX, SPECK_SHARE } from '../../../training/data/damageSample';
import { FINE_TUNE_DEFAULTS, TASK_BATCH, TASK_LOSS, TASK_PATCH, baseHintFrame } from '../../../training/fineTune';
import { parseChoice, parseCommandArgs, parseIntOption, parseNumber, UsageError } from '../args';
import { createEventWriter } from '../events';
import type { CliIO } from '../io';
import { onInterrupts } from '../interrupts';
import { modelFolders } from '../../paths';
import { selectProvider } from '../../engine/providers';
import { probeProvider } from '../../engine/ort';

/** Exit code of a run stopped at once by a second Ctrl-C (128 + SIGINT, as shells report it). */
const INTERRUPTED_EXIT = 130;

const HELP = `Usage: restore train --task <task> --data <folder> --out <model.onnx> [options]

  --task <t>            denoise|upscale|colorize|inpaint|detect-damage
  --data <folder>       training images (any readable format, searched recursively; repeat
                        for several folders); a deterministic held-out split is kept for validation
  --out <file.onnx>     trained model; its manifest entry and model card go in the same folder
  --base <id|file>      fine-tune this model (adopted only if it beats it on the held-out split:
                        its validation crops and then fresh crops of those photos);
                        fine-tuning defaults: --lr 1e-4 (2e-4 with --noisy) --warmup 20 --val-every 50
                        --checkpoint-every 50 --patience 6, the base's loss and noise-level range
                        (a blind base, e.g. old-print: its one level; an old-print base: --old-print),
                        --patch 64 (upscale 32, colorize/inpaint/detect-damage 128),
                        and --steps 20000 (100000 with --minutes): it runs until the held-out
                        photos stop improving or the minutes are spent
  --noisy               denoise fine-tuning: the --data photos are noisy and have no clean copies;
                        learn their own noise (correlated grain, JPEG) from them: the base makes
                        pseudo-clean photos, the residual on their flattest parts is the noise
                        added back in training (from an old-print base: as the grain of
                        old-print pairs made from them); the model gets a fixed noise level (the
                        base's best on the held-out photos, a blind base's own) and ignores the
                        strength slider
  --preview <dir>       write before/after pictures of held-out photos there (preview-<step>.png
                        after each validation, result-<i>.png at the end; events preview, result)
  --steps <n>           total steps of the run (default 1000); a resumed run keeps counting
  --minutes <m>         stop after this many minutes
  --stop-at <n>         stop after step n of the --steps schedule (resume with the same --steps to
                        continue it exactly, or with more --steps to stretch it from there)
  --resume <ckpt>       continue from a checkpoint
  --checkpoint <file>   checkpoint path (default <out>.ckpt)
  --checkpoint-every <n>  steps between checkpoints (default 100)
  --val-every <n>       steps between validations (default 100)
  --take-last           export the last step's weights, not the best validated ones (when the
                        held-out PSNR does not rank models, e.g. mask-mse; judge with restore eval)
  --patience <n>        stop after n validations without improvement (default 0 = never)
  --batch <n>           patches per step (default 16)
  --patch <n>           patch side in model-input pixels (default 64)
  --lr <x>              peak learning rate (default 1e-3; warm-up then cosine decay)
  --warmup <n>          warm-up steps (default 5% of --steps)
  --loss <l>            l1|mse|charbonnier|l1-chroma|mask-mse (default charbonnier; mask-mse for
                        detect-damage; l1-chroma: colorize, L1 weighted up on saturated pixels
                        against the brown average)
  --old-print           denoise: learn to restore scans of old prints (blur, printing screens, film
                        grain, JPEG; the print's tone kept) instead of white noise; the model
                        always gets the fixed --sigma as its noise level (default 25)
  --damage <folder>     inpaint/detect-damage: real film-damage opacity masks (e.g. shared/data/
                        train/damage) used as holes and as damage shapes; procedural shapes only without
  --thin-scratches <s>  detect-damage: share of damage layers that are thin procedural scratches
                        (default 0.25; real shapes take the rest but 15% of specks)
  --gray <s>            detect-damage: share of patches made gray (default 0.33)
  --thin-content <s>    detect-damage: share of patches given thin real content (wires, branches,
                        window frames, text) before they are made old, as negatives (default 0)
  --hint-frame <px>     colorize: draw the colour-point count per frame of this side (e.g. the
                        working size, 512) and scale it to the patch, so points are as sparse as
                        a user's few points on a whole photo (default: 1-160 per patch; with
                        --base, the base's working size)
  --chroma-weight <k>   l1-chroma: weight of a pixel = 1 + k x its true chroma (ab / 128); larger k
                        trades PSNR for livelier colour (default 4)
  --sigma <s|lo-hi>     denoise noise level, fixed or a range (default 0-75 with a noise map);
                        upscale: Gaussian noise added to the low-resolution input (default none)
  --jpeg <lo-hi>        denoise/upscale: also JPEG-compress half the inputs at quality lo-hi
  --poisson <peak>      denoise: also add Poisson noise (peak photons at white) to half
  --quantize <p>        denoise: save this fraction (0-1) of the noisy inputs as 8-bit files (clipped
                        and rounded, as real photos are) before the model sees them (default 0)
  --color-aug <p>       denoise/upscale, colour: give this fraction (0-1) of the clean patches a
                        random channel permutation and saturation gain (1-2x) first; the held-out
                        patches get the same mix (default 0)
  --color-rotate <p>    denoise, colour: give this fraction (0-1) of the clean patches a random
                        orthogonal colour transform about their mean colour (after --color-aug);
                        white noise is isotropic in RGB, so the task is unchanged while image
                        structure moves into chroma (saturated, decorrelated colour)
  --blur <lo-hi>        denoise/upscale: also blur half the (high-resolution) images (sigma lo-hi px)
  --scale <2|4>         upscale factor of a new model (default 2)
  --arch <a>            dncnn|unet|subpixel|colorizer|inpainter|detector for a new model;
                        --width <n>, --depth <n> (colorize: the guided colorizer by default,
                        L + colour points -> ab; inpaint: the inpainter; detect-damage: the detector)
  --widths <a,b,..>     unet: feature widths per level, finest first (default w,2w,4w)
  --convs <n>           unet: 3x3 convs per level (default 2)
  --down <d>            unet: stride|pixelunshuffle downsampling (default stride)
  --channels <1|3>      image channels of a new model (default 3; 1 = grayscale)
  --seed <n>            seed of split, crops, noise and initialisation (default 0)
  --provider <p>        auto|cpu|cuda|dml;  --threads <n>
  --models-dir <dir>    extra model folder (for --base), repeatable
  --export-job <dir>    write this run as an accelerator job (training/accelerator: step graph,
                        settings, starting checkpoint, a reference step) instead of training;
                        its checkpoint comes back through --resume with the same options
  --json                JSON events on stdout: step, validation, checkpoint, done
`;

const OPTIONS = {
  task: { type: 'string' }, data: { type: 'string', multiple: true }, noisy: { type: 'boolean' }, preview: { type: 'string' }, out: { type: 'string' }, output: { type: 'string', short: 'o' },
  base: { type: 'string' }, steps: { type: 'string' }, 'stop-at': { type: 'string' }, minutes: { type: 'string' }, resume: { type: 'string' },
  checkpoint: { type: 'string' }, 'checkpoint-every': { type: 'string' }, 'val-every': { type: 'string' },
  patience: { type: 'string' }, batch: { type: 'string' }, patch: { type: 'string' }, lr: { type: 'string' },
  warmup: { type: 'string' }, damage: { type: 'string' }, 'old-print': { type: 'boolean' }, 'take-last': { type: 'boolean' }, jpeg: { type: 'string' }, poisson: { type: 'string' }, blur: { type: 'string' }, quantize: { type: 'string' }, 'color-aug': { type: 'string' }, 'color-rotate': { type: 'string' }, 'thin-scratches': { type: 'string' }, gray: { type: 'string' }, 'thin-content': { type: 'string' }, 'hint-frame': { type: 'string' }, 'chroma-weight': { type: 'string' }, loss: { type: 'string' }, sigma: { type: 'string' }, scale: { type: 'string' },
  arch: { type: 'string' }, widths: { type: 'string' }, convs: { type: 'string' }, down: { type: 'string' }, channels: { type: 'string' }, width: { type: 'string' }, depth: { type: 'string' }, seed: { type: 'string' },
  provider: { type: 'string' }, threads: { type: 'string' }, 'models-dir': { type: 'string', multiple: true },
  'export-job': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

function parseRange(name: string, v: string | undefined, min: number, max: number): [number, number] | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(v.trim());
  const lo = m ? Number(m[1]) : NaN, hi = m?.[2] !== undefined ? Number(m[2]) : lo;
  if (!m || lo < min || hi > max || hi < lo) throw new UsageError(`--${name} must be a number or a range lo-hi within ${min}-${max}, got "${v}"`);
  return [lo, hi];
}

function parseWidths(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(',').map((x) => x.trim());
  const ws = parts.map(Number);
  if (parts.length < 1 || parts.length > 6 || ws.some((w, i) => !/^\d+$/.test(parts[i] ?? '') || w < 1 || w > 4096)) {
    throw new UsageError(`--widths must be 1 to 6 comma-separated integers within 1-4096, got "${v}"`);
  }
  return ws;
}

function parseSigma(v: string | undefined): number | [number, number] | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(v.trim());
  if (!m) throw new UsageError(`--sigma must be a number or a range lo-hi (0-75), got "${v}"`);
  const lo = Number(m[1]), hi = m[2] !== undefined ? Number(m[2]) : undefined;
  if (lo > 75 || (hi !== undefined && (hi > 75 || hi < lo))) throw new UsageError(`--sigma must lie in 0-75, got "${v}"`);
  return hi === undefined ? lo : [lo, hi];
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let o;
  try {
    const { values } = parseCommandArgs(args, OPTIONS);
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    const task = parseChoice('task', values.task, TASKS);
    if (!task) throw new UsageError('--task is required (denoise|upscale|colorize|inpaint|detect-damage)');
    if (!values.data || values.data.length === 0) throw new UsageError('--data <folder> is required');
    const fineTune = values.base !== undefined;
    const ft = FINE_TUNE_DEFAULTS;
    const outArg = values.out ?? values.output;
    if (!outArg) throw new UsageError('--out <model.onnx> is required');
    if (!/\.onnx$/i.test(outArg)) throw new UsageError(`--out must name an .onnx file, got "${outArg}"`);
    const steps = parseIntOption('steps', values.steps, 1, 10_000_000) ?? (fineTune ? (values.minutes ? ft.stepsForMinutes : ft.steps) : 1000);
    o = {
      task: task as TaskName,
      data: values.data.map((d) => path.resolve(io.cwd, d)),
      noisy: values.noisy ?? false,
      preview: values.preview ? path.resolve(io.cwd, values.preview) : undefined,
      out: path.resolve(io.cwd, outArg),
      base: values.base,
      steps,
      minutes: parseNumber('minutes', values.minutes, 0.01, 1e6),
      stopAt: parseIntOption('stop-at', values['stop-at'], 1, 10_000_000),
      resume: values.resume ? path.resolve(io.cwd, values.resume) : undefined,
      checkpoint: path.resolve(io.cwd, values.checkpoint ?? `${outArg}.ckpt`),
      checkpointEvery: parseIntOption('checkpoint-every', values['checkpoint-every'], 1, 1e9) ?? (fineTune ? ft.checkpointEvery : 100),
      valEvery: parseIntOption('val-every', values['val-every'], 1, 1e9) ?? (fineTune ? ft.valEvery : 100),
      patience: parseIntOption('patience', values.patience, 0, 1e6) ?? (fineTune ? ft.patience : 0),
      batch: parseIntOption('batch', values.batch, 1, 4096) ?? (fineTune ? TASK_BATCH[task as TaskName] : 16),
      patch: parseIntOption('patch', values.patch, 8, 4096) ?? (fineTune ? TASK_PATCH[task as TaskName] : 64),
      lr: parseNumber('lr', values.lr, 1e-8, 1) ?? (fineTune ? (values.noisy ? ft.noisyLr : ft.lr) : 1e-3),
      warmup: parseIntOption('warmup', values.warmup, 0, 1e9) ?? (fineTune ? ft.warmup : Math.floor(steps * 0.05)),
      loss: parseChoice('loss', values.loss, LOSS_KINDS) ?? (fineTune ? TASK_LOSS[task as TaskName] : task === 'detect-damage' ? 'mask-mse' : 'charbonnier'),
      damage: values.damage ? path.resolve(io.cwd, values.damage) : undefined,
      oldPrint: values['old-print'] ?? false,
      takeLast: values['take-last'] ?? false,
      sigma: parseSigma(values.sigma),
      jpeg: parseRange('jpeg', values.jpeg, 1, 100),
      poisson: parseNumber('poisson', values.poisson, 0.1, 1e6),
      blur: parseRange('blur', values.blur, 0, 10),
      quantize: parseNumber('quantize', values.quantize, 0, 1),
      colorAug: parseNumber('color-aug', values['color-aug'], 0, 1),
      colorRotate: parseNumber('color-rotate', values['color-rotate'], 0, 1),
      thinScratches: parseNumber('thin-scratches', values['thin-scratches'], 0, 1 - SPECK_SHARE),
      gray: parseNumber('gray', values.gray, 0, 1),
      thinContent: parseNumber('thin-content', values['thin-content'], 0, 1),
      hintFrame: parseIntOption('hint-frame', values['hint-frame'], 8, 16_384),
      chromaWeight: parseNumber('chroma-weight', values['chroma-weight'], 0, 100),
      scale: parseChoice('scale', values.scale, ['2', '4'] as const),
      arch: parseChoice('arch', values.arch, ['dncnn', 'unet', 'subpixel', 'colorizer', 'inpainter', 'detector'] as const),
      channels: parseChoice('channels', values.channels, ['1', '3'] as const) ?? '3',
      width: parseIntOption('width', values.width, 1, 4096),
      depth: parseIntOption('depth', values.depth, 1, 1000),
      widths: parseWidths(values.widths),
      convs: parseIntOption('convs', values.convs, 1, 16),
      down: parseChoice('down', values.down, ['stride', 'pixelunshuffle'] as const),
      seed: parseIntOption('seed', values.seed, 0, 2 ** 31) ?? 0,
      provider: parseChoice('provider', values.provider, ['auto', 'cpu', 'cuda', 'dml'] as const) ?? 'auto',
      threads: parseIntOption('threads', values.threads, 1, 1024) ?? Math.max(1, os.availableParallelism()),
      modelDirs: (values['models-dir'] ?? []).map((d) => path.resolve(io.cwd, d)),
      json: values.json ?? false,
      exportJob: values['export-job'] ? path.resolve(io.cwd, values['export-job']) : undefined,
    };
    if ((o.widths || o.convs || o.down) && !(o.arch === 'unet' || o.task === 'colorize' || o.task === 'inpaint' || o.task === 'detect-damage')) {
      throw new UsageError('--widths, --convs and --down shape a U-Net (--arch unet, or the colorize/inpaint/detect-damage tasks)');
    }
    if (o.colorAug && !(o.task === 'denoise' || o.task === 'upscale')) throw new UsageError('--color-aug applies to the denoise and upscale tasks');
    if (o.oldPrint && o.task !== 'denoise') throw new UsageError('--old-print applies to the denoise task');
    if (o.oldPrint && Array.isArray(o.sigma)) throw new UsageError('--old-print takes one fixed --sigma (the noise level the model always gets)');
    if (o.oldPrint && o.sigma === undefined) o.sigma = 25;
    if (o.damage && !(o.task === 'inpaint' || o.task === 'detect-damage')) throw new UsageError('--damage applies to the inpaint and detect-damage tasks');
    if (o.noisy && !(o.task === 'denoise' && o.base)) throw new UsageError('--noisy fine-tunes a denoiser: --task denoise --base <model>');
    if (o.noisy && (o.oldPrint || o.sigma !== undefined || o.jpeg || o.poisson || o.blur || o.quantize)) throw new UsageError('--noisy learns the photos\' own noise: leave out --old-print, --sigma, --jpeg, --poisson, --blur and --quantize');
    if (o.colorRotate && o.task !== 'denoise') throw new UsageError('--color-rotate applies to the denoise task');
    if ((o.thinScratches !== undefined || o.gray !== undefined || o.thinContent !== undefined) && o.task !== 'detect-damage') throw new UsageError('--thin-scratches, --gray and --thin-content apply to the detect-damage task');
    if (o.hintFrame !== undefined && o.task !== 'colorize') throw new UsageError('--hint-frame applies to the colorize task');
    if (o.chromaWeight !== undefined && o.loss !== 'l1-chroma') throw new UsageError('--chroma-weight applies to --loss l1-chroma');
    if (o.resume && !(await exists(o.resume))) throw new UsageError(`${o.resume}: checkpoint not found`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`restore train: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const emit = createEventWriter(io.stdout);
  const controller = new AbortController();
  // Ctrl-C: stop after this step as a time budget would (held-out check, checkpoint, export);
  // again: stop now, the last checkpoint (written atomically) kept for --resume.
  const off = onInterrupts(
    io,
    () => {
      io.stderr('restore train: interrupted: stopping after this step (held-out check, checkpoint, export; Ctrl-C again to stop now)\n');
      controller.abort();
    },
    () => {
      io.stderr('restore train: interrupted: stopping now; the last checkpoint is kept for --resume\n');
      process.exit(INTERRUPTED_EXIT);
    },
  );
  try {
    let start;
    if (o.base) {
      let found;
      try {
        found = await resolveModel(o.base, o.task, modelFolders(o.modelDirs));
      } catch (e) {
        if (e instanceof ModelError) {
          io.stderr(`restore train: ${e.message}\n`);
          return 2;
        }
        throw e;
      }
      if (path.resolve(found.path) === o.out) {
        io.stderr(`restore train: --out ${o.out} is the base model; the base is never modified\n`);
        return 2;
      }
      await verifyModelFile(found.entry, found.path);
      start = await baseModel(found.entry, found.path);
      o.hintFrame ??= baseHintFrame(o.task, found.entry).hintFrame;
    } else {
      const channels = o.task === 'colorize' ? 1 : o.channels === '1' ? 1 : 3;
      start = freshModel(o.task, { arch: o.arch === 'subpixel' ? undefined : o.arch, width: o.width, depth: o.depth, widths: o.widths, convs: o.convs, down: o.down, channels, scale: o.scale ? Number(o.scale) : undefined, seed: o.seed });
    }
    const status = await selectProvider(o.provider, probeProvider);
    if (status.fallbackReason) io.stderr(`restore train: using the CPU: ${status.fallbackReason}\n`);
    const provider = status.active;
    const onEvent = (e: TrainEvent): void => {
      if (o.json) emit(e);
      else if (e.type === 'step') io.stderr(`step ${e.step}/${o.steps} loss ${e.loss.toExponential(3)} lr ${e.lr.toExponential(2)} ${e.imagesPerSec.toFixed(1)} img/s\n`);
      else if (e.type === 'validation') io.stderr(`validation at step ${e.step}: ${e.psnr.toFixed(2)} dB${e.basePsnr !== undefined && e.step > 0 ? ` (base ${e.basePsnr.toFixed(2)} dB)` : ''}\n`);
      else if (e.type === 'checkpoint') io.stderr(`checkpoint ${e.path} (step ${e.step})\n`);
      else if (e.type === 'split') io.stderr(`${e.train.length} training photos, ${e.heldOut.length} held out (${e.megapixels} MP)${e.skipped.length ? `; ${e.skipped.length} left out: ${e.skipped[0]}` : ''}\n`);
      else if (e.type === 'prepare') { if (e.done === e.total) io.stderr(`${e.stage}: done\n`); }
      else if (e.type === 'paused') io.stderr(`paused at step ${e.step}; resume with --resume ${e.checkpoint}\n`);
      else if (e.type === 'preview') return;
      else if (e.type === 'result') io.stderr(`held-out photos${e.measure === 'whole' ? ' (colourized whole, automatic and 10 points)' : e.measure === 'crops' ? ` (${e.crops} fresh crops each)` : ''}: ${e.psnr.toFixed(2)} dB${e.basePsnr !== null ? ` (base ${e.basePsnr.toFixed(2)} dB${e.reference === 'self' ? ' at its best strength; measured against pseudo-clean photos with the collection\'s own noise' : ''})` : ''}${e.noiseLevel !== undefined ? `, noise level ${e.noiseLevel}` : ''}\n`);
      else io.stderr(e.adopted ? `wrote ${e.out} (best validation PSNR ${e.bestPsnr.toFixed(2)} dB)\n` : `not adopted: ${e.reason ?? `no better than the base on the held-out split (${e.bestPsnr.toFixed(2)} dB)`}\n`);
    };
    const result = await train({
      exportJob: o.exportJob,
      task: o.task, data: o.data, out: o.out, start, steps: o.steps, stopAt: o.stopAt, minutes: o.minutes, resume: o.resume, checkpoint: o.checkpoint,
      seed: o.seed, batch: o.batch, patch: o.patch, lr: o.lr, warmup: o.warmup, loss: o.loss, valEvery: o.valEvery,
      valFraction: 0.1, patience: o.patience, checkpointEvery: o.checkpointEvery, threads: o.threads, provider,
      sigma: o.sigma, jpegQuality: o.jpeg, poissonPeak: o.poisson, blur: o.blur, quantize: o.quantize, colorAug: o.colorAug, colorRotate: o.colorRotate, damage: o.damage,
      ...(o.thinScratches !== undefined || o.gray !== undefined || o.thinContent !== undefined ? {
        damageMix: { thinScratches: o.thinScratches ?? DEFAULT_DAMAGE_MIX.thinScratches, gray: o.gray ?? DEFAULT_DAMAGE_MIX.gray, ...(o.thinContent ? { thinContent: o.thinContent } : {}) },
      } : {}),
      ...(o.hintFrame !== undefined ? { hintFrame: o.hintFrame } : {}),
      ...(o.chromaWeight !== undefined ? { chromaWeight: o.chromaWeight } : {}),
      oldPrint: o.oldPrint, takeLast: o.takeLast, noisy: o.noisy, previewDir: o.preview, command: `restore train ${args.join(' ')}`, onEvent, signal: controller.signal,
    });
    if (result.jobFiles) io.stderr(`wrote accelerator job ${o.exportJob}: ${result.jobFiles.join(', ')}\n`);
    return 0;
  } catch (e) {
    io.stderr(`restore train: ${(e as Error).message.split('\n')[0]}\n`);
    return 1;
  } finally {
    off();
  }
}
