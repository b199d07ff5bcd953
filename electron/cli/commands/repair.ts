// `restore repair <input...> -o <output> [--colorize] [--hints <f>] [--scale 2|4] [--sigma auto|N]
// [--denoise-model <id|file>] [--tta] [--no-inpaint] [--no-denoise]`: the old-photo chain in one pass per
// file: find the damage and fill it (inpaint --mask auto), reduce grain, then optionally colourize
// and enlarge; one processing record per output, batch/resume/--json/exit codes as every
// processing command. Each step uses the best installed model for it (see `restore models`);
// --model is refused because it would be ambiguous across the steps, --denoise-model names the
// grain step's (e.g. a fine-tune of old-print on the user's own prints).
import type { CliIO } from '../io';
import { modelArg, parseChoice, UsageError } from '../args';
import { runProcessCommand, type ProcessCommandSpec } from '../processCommand';
import { AUTO_MASK, type TaskStep } from '../../engine/protocol';
import { colorizePreflight, parseSaturation, readHints } from './colorize';
import { parseSigma } from './denoise';
import { DAMAGE_OPTIONS_HELP, damageOptions, parseDamageOptions } from './damageOptions';

/** The denoise model the chain prefers: trained on old prints (training/recipes/old-print.sh). */
export const OLD_PRINT_MODEL = 'old-print';

const options = {
  colorize: { type: 'boolean' }, hints: { type: 'string' }, saturation: { type: 'string' }, scale: { type: 'string' },
  sigma: { type: 'string' }, 'denoise-model': { type: 'string' }, tta: { type: 'boolean' }, 'monochrome-only': { type: 'boolean' }, 'no-inpaint': { type: 'boolean' }, 'no-denoise': { type: 'boolean' }, threshold: damageOptions.threshold,
} as const;

export const spec: ProcessCommandSpec<typeof options> = {
  name: 'repair',
  usage: 'restore repair <input...> -o <output> [--colorize [--monochrome-only]] [--hints <f>] [--scale 2|4] [--sigma auto|N] [--denoise-model <id|file>] [--tta] [--no-inpaint] [--no-denoise]',
  options,
  optionsHelp: `Restores old photos in one pass: finds and fills scratches, dust and cracks, reduces grain,
then optionally colourizes and enlarges.
  --colorize               add colour (gray photos; colour ones are colourized from their lightness)
  --hints <file.json>      colour points for --colorize (see restore colorize --help)
  --saturation <0-2>       scale of the added colour (default 1)
  --monochrome-only        with --colorize: only black-and-white (gray or toned) photos get colour;
                           colour ones keep theirs (a mixed folder of old prints)
  --scale <2|4>            enlarge at the end
  --sigma <0-75>|auto      grain reduction: auto (default) uses the old-print model when installed
                           (trained on grain, printing screens and blur), else the denoiser with
                           an estimated strength; a number uses the denoiser at that strength
  --denoise-model <id|file>  grain reduction with this denoiser, e.g. your fine-tune of old-print
                           (restore train --base old-print --noisy ...; add --models-dir for its folder)
  --tta                    Max quality: the fill, the grain reduction and the enlargement as the
                           self-ensemble (mean over 8 flips/rotations; 8x those steps' time)
  --no-inpaint             do not look for damage
  --no-denoise             do not reduce grain
${DAMAGE_OPTIONS_HELP.split('\n').slice(0, 2).join('\n')}`,
  steps: (v, common, io) => {
    if (common.model) throw new UsageError('--model does not apply to repair (it runs several models; each step uses the best installed one; --denoise-model names the grain step\'s)');
    const denoiseModel = modelArg(typeof v['denoise-model'] === 'string' ? v['denoise-model'] : undefined, io.cwd);
    const steps: TaskStep[] = [];
    const { threshold } = parseDamageOptions(v);
    const tta = v.tta ? { tta: true } : {};
    if (!v['no-inpaint']) steps.push({ task: 'inpaint', mask: AUTO_MASK, ...(threshold !== undefined ? { threshold } : {}), ...tta });
    else if (threshold !== undefined) throw new UsageError('--threshold goes with damage finding (drop --no-inpaint)');
    if (!v['no-denoise']) {
      // The old-print restorer (grain, screens, blur) when installed; a strength asks for the white-noise denoiser.
      const sigma = parseSigma(v.sigma as string | undefined);
      steps.push({ task: 'denoise', sigma, ...(denoiseModel ? { model: denoiseModel } : sigma === 'auto' ? { prefer: OLD_PRINT_MODEL } : {}), ...tta });
    }
    else if (v.sigma !== undefined || denoiseModel !== undefined) throw new UsageError('--sigma and --denoise-model go with grain reduction (drop --no-denoise)');
    if (!v.colorize && (v.hints !== undefined || v.saturation !== undefined || v['monochrome-only'])) throw new UsageError('--hints, --saturation and --monochrome-only go with --colorize');
    const hints = typeof v.hints === 'string' ? readHints(v.hints, io.cwd) : undefined;
    const saturation = parseSaturation(typeof v.saturation === 'string' ? v.saturation : undefined);
    if (v.colorize) steps.push({ task: 'colorize', ...(hints ? { hints } : {}), ...(saturation !== undefined ? { saturation } : {}), ...(v['monochrome-only'] ? { monochromeOnly: true } : {}) });
    const scale = parseChoice('scale', v.scale as string | undefined, ['2', '4'] as const);
    if (scale) steps.push({ task: 'upscale', scale: scale === '2' ? 2 : 4, ...tta });
    if (steps.length === 0) throw new UsageError('nothing to do: --no-inpaint and --no-denoise without --colorize or --scale');
    return steps;
  },
  preflight: async (steps, inputs) => (steps.some((s) => s.task === 'colorize') ? colorizePreflight(steps, inputs) : []),
};

export function run(args: string[], io: CliIO): Promise<number> {
  return runProcessCommand(spec, args, io);
}
