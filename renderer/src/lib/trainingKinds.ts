// What the Training view offers to improve: one choice per kind of installed model (denoise colour
// or gray, old prints, enlarge 2x or 4x, colourize, repair), each with the base models it can start from.
import type { ModelInfo, TrainTaskName } from '@api/contract';

/** What old-print models do, as the Training and Models views name it. */
export const OLD_PRINTS = 'Restore old prints';

export interface TrainingKind {
  id: string;
  task: TrainTaskName;
  label: string;
  bases: ModelInfo[];
}

function kindOf(m: ModelInfo): { id: string; label: string; task: TrainTaskName } | null {
  switch (m.task) {
    case 'denoise':
      if (m.oldPrint) return { id: 'old-print', label: `${OLD_PRINTS} (grain, screens, blur)`, task: 'denoise' };
      return m.channels === 1 ? { id: 'denoise-gray', label: 'Reduce noise (black-and-white photos)', task: 'denoise' } : { id: 'denoise-color', label: 'Reduce noise (colour photos)', task: 'denoise' };
    case 'upscale':
      return { id: `upscale-${m.scale}`, label: `Enlarge ${m.scale}×`, task: 'upscale' };
    case 'colorize':
      return { id: 'colorize', label: 'Colourize', task: 'colorize' };
    case 'inpaint':
      return { id: 'inpaint', label: 'Repair scratches', task: 'inpaint' };
    default:
      return null;
  }
}

const ORDER = ['denoise-color', 'denoise-gray', 'old-print', 'upscale-2', 'upscale-4', 'colorize', 'inpaint'];

/** The kinds with at least one installed base model, in a fixed order. */
/** The clean-photos choice of a denoising kind: what training adds to them. */
export function cleanPhotosLabel(kind: TrainingKind): string {
  return kind.id === 'old-print'
    ? 'My photos are clean (sharp, no grain): make them look like old prints (grain, screens, blur, fading) and learn to undo it'
    : 'My photos are clean: add noise to them and learn to remove it';
}

export function trainingKinds(models: readonly ModelInfo[]): TrainingKind[] {
  const byId = new Map<string, TrainingKind>();
  for (const m of models) {
    const k = kindOf(m);
    if (!k) continue;
    const cur = byId.get(k.id) ?? { ...k, bases: [] };
    cur.bases.push(m);
    byId.set(k.id, cur);
  }
  return [...byId.values()].sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id));
}
