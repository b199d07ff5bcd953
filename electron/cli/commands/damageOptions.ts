// Options shared by the commands that find damage (detect-damage, inpaint --mask auto, repair):
// the detector's threshold and how far its marks are grown.
import { UsageError } from '../args';

export const damageOptions = { threshold: { type: 'string' }, grow: { type: 'string' } } as const;

export const DAMAGE_OPTIONS_HELP = `  --threshold <0-1>        damage probability at which a pixel is marked (default: the detector's
                           calibrated threshold; lower finds more, and marks more real detail)
  --grow <0-8>             pixels to grow the marked area by (default: the detector's)`;

/** The detector settings given on the command line (absent ones are left to the model). */
export function parseDamageOptions(v: Record<string, unknown>): { threshold?: number; grow?: number } {
  const out: { threshold?: number; grow?: number } = {};
  if (typeof v.threshold === 'string') {
    const t = Number(v.threshold);
    if (v.threshold.trim() === '' || !Number.isFinite(t) || t <= 0 || t >= 1) throw new UsageError(`--threshold ${v.threshold}: expected a number between 0 and 1`);
    out.threshold = t;
  }
  if (typeof v.grow === 'string') {
    const g = Number(v.grow);
    if (!Number.isInteger(g) || g < 0 || g > 8) throw new UsageError(`--grow ${v.grow}: expected a whole number from 0 to 8`);
    out.grow = g;
  }
  return out;
}
