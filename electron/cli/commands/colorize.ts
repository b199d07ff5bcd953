// `restore colorize <input...> -o <output> [--hints <points.json>] [--saturation <0-2>]`: adds
// colour to grayscale pictures (the model predicts Lab a/b from L; the original L is kept at full
// resolution), automatically or steered by colour points. A colour input is colourized from its
// lightness (old prints are often sepia or toned); the engine says so on stderr.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CliIO } from '../io';
import { UsageError } from '../args';
import { runProcessCommand, type ProcessCommandSpec } from '../processCommand';
import type { TaskStep } from '../../engine/protocol';
import { parseHints, type ColorHint } from '../../engine/color/hints';
import { sharpPixels } from '../../imageio/pixels';
import { probeImage } from '../../imageio/probe';

const options = { hints: { type: 'string' }, saturation: { type: 'string' }, 'monochrome-only': { type: 'boolean' } } as const;

export function readHints(file: string, cwd: string): ColorHint[] {
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read the hints file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    // Bounds are checked per input (checkHintsFit), when the image sizes are known.
    return parseHints(text, Infinity, Infinity);
  } catch (e) {
    throw new UsageError(`${file}: ${(e as Error).message}`);
  }
}

/** True when a small decoded copy of the image has visible chroma (colour or toned, e.g. sepia);
 * a gray picture stored as RGB is not. */
async function hasColour(file: string): Promise<boolean> {
  const { data, info } = await (await sharpPixels(file, { failOn: 'error' })).resize(96, 96, { fit: 'inside' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels < 3) return false;
  let spread = 0;
  for (let i = 0; i + 2 < data.length; i += info.channels) spread = Math.max(spread, Math.abs(data[i]! - data[i + 1]!), Math.abs(data[i + 1]! - data[i + 2]!));
  return spread > 6;
}

/** Colour inputs probed for the stderr note (a large batch is not decoded twice for it). */
const COLOUR_NOTE_PROBES = 50;

export function parseSaturation(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const s = Number(v);
  if (v.trim() === '' || !Number.isFinite(s) || s < 0 || s > 2) throw new UsageError(`--saturation ${v}: expected a number from 0 to 2`);
  return s;
}

export const spec: ProcessCommandSpec<typeof options> = {
  name: 'colorize',
  usage: 'restore colorize <input...> -o <output> [--hints <points.json>] [--saturation <0-2>] [--monochrome-only]',
  options,
  optionsHelp: `Adds colour to grayscale pictures (colour pictures are colourized from their lightness).
  --hints <file.json>      colour points: a JSON array of {"x", "y", "color": "#rrggbb"} (optional
                           "radius") in the input's pixel coordinates; only the colour's chroma is used
  --saturation <0-2>       scale of the added colour (default 1; 0 = gray, 2 = twice as vivid)
  --monochrome-only        colourize only black-and-white (gray or toned) pictures; colour ones are
                           written unchanged (their record says "skipped: colour photo")`,
  steps: (v, common, io) => {
    const hints = typeof v.hints === 'string' ? readHints(v.hints, io.cwd) : undefined;
    const saturation = parseSaturation(typeof v.saturation === 'string' ? v.saturation : undefined);
    return [{
      task: 'colorize', ...(common.model ? { model: common.model } : {}),
      ...(hints ? { hints } : {}), ...(saturation !== undefined ? { saturation } : {}),
      ...(v['monochrome-only'] ? { monochromeOnly: true } : {}),
    }];
  },
  preflight: (steps, inputs) => colorizePreflight(steps, inputs),
};

/** Colour points inside every input, and notes for colour inputs (colourized from their L). */
export async function colorizePreflight(steps: TaskStep[], inputs: string[]): Promise<string[]> {
  const notes: string[] = [];
  const hints = steps.flatMap((s) => (s.task === 'colorize' ? s.hints ?? [] : []));
  let colour = 0;
  for (const [i, input] of inputs.entries()) {
    const m = await probeImage(input).catch(() => null);
    if (!m) continue; // unreadable files fail on their own, with their reason
    const keepsColour = steps.some((s) => s.task === 'colorize' && s.monochromeOnly);
    if (!keepsColour && i < COLOUR_NOTE_PROBES && (await hasColour(input).catch(() => false)) && ++colour <= 3) {
      notes.push(`${input} is in colour (or toned); it is colourized from its lightness (L), its own colours are replaced`);
    }
    if (hints.length === 0) continue;
    const out = hints.findIndex((h) => h.x > m.width - 1 || h.y > m.height - 1);
    if (out >= 0) {
      const h = hints[out]!;
      throw new UsageError(`hint ${out + 1}: point (${h.x}, ${h.y}) is outside ${input} (${m.width} x ${m.height} pixels)`);
    }
  }
  if (colour > 3) notes.push(`${colour - 3} more colour (or toned) images are colourized from their lightness`);
  return notes;
}

export function run(args: string[], io: CliIO): Promise<number> {
  return runProcessCommand(spec, args, io);
}
