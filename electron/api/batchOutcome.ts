// What a batch file's steps did, for the Batch view's row (contract BatchFileRow): the share of the
// photo the damage detector found and Repair filled (an inpaint step with mask 'auto': its
// settings.maskPercent, 0 when none was found), and why Colourize left a photo as it was (a colour
// photo under `monochromeOnly`: settings.skipped). Read from file-done's resolved steps.
import type { ProcessFileResult } from '../engine/protocol';
import { AUTO_MASK } from '../engine/protocol';
import type { BatchFileRow } from './sessionSchema';

export function stepOutcome(steps: ProcessFileResult['steps'] | undefined): Pick<BatchFileRow, 'damagePercent' | 'colorizeSkipped'> {
  const out: Pick<BatchFileRow, 'damagePercent' | 'colorizeSkipped'> = {};
  for (const s of steps ?? []) {
    if (s.task === 'inpaint' && s.settings.mask === AUTO_MASK) {
      const percent = Number(s.settings.maskPercent);
      if (Number.isFinite(percent)) out.damagePercent = Math.min(100, Math.max(0, percent));
    }
    if (s.task === 'colorize' && typeof s.settings.skipped === 'string') out.colorizeSkipped = s.settings.skipped;
  }
  return out;
}
