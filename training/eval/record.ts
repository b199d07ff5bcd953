// Records evaluation rows in a model's manifest entry (replacing earlier rows of the same set,
// setting and protocol) and regenerates its model card, so `restore eval --record` is how the
// published numbers of a model get into the manifest, the card and the app's Models view.
import { writeModelCard } from '../../models/card';
import { ManifestEntry } from '../../models/manifest';
import { updateManifestEntry } from '../../models/registry';
import type { EvalRow } from './evaluate';

type Row = ManifestEntry['evaluation'][number];

const sameRow = (a: Row, b: Row): boolean => a.set === b.set && a.sigma === b.sigma && a.scale === b.scale && a.protocol === b.protocol;

export async function recordEvaluation(dir: string, entry: ManifestEntry, rows: EvalRow[]): Promise<ManifestEntry> {
  const mine: Row[] = rows
    .filter((r) => r.method === entry.id)
    .map((r) => ({
      set: r.set, protocol: r.protocol, ...(r.psnr !== undefined ? { psnr: Number(r.psnr.toFixed(3)) } : {}), ...(r.sigma !== undefined ? { sigma: r.sigma } : {}), ...(r.scale !== undefined ? { scale: r.scale } : {}),
      ...(r.colorfulness !== undefined ? { colorfulness: Number(r.colorfulness.toFixed(2)) } : {}),
      ...(r.referenceColorfulness !== undefined ? { referenceColorfulness: Number(r.referenceColorfulness.toFixed(2)) } : {}),
      ...(r.maskArea !== undefined ? { maskArea: r.maskArea } : {}),
      ...(r.f1 !== undefined ? { precision: r.precision, recall: r.recall, f1: r.f1, markedClean: r.markedClean, threshold: r.threshold } : {}),
    }));
  // Merged into the entry as it is on disk now (another run may have recorded rows meanwhile).
  const updated = await updateManifestEntry(dir, entry.id, (current) => {
    const base = current ?? entry;
    const kept = base.evaluation.filter((old) => !mine.some((n) => sameRow(old, n)));
    return ManifestEntry.parse({ ...base, evaluation: [...kept, ...mine] });
  });
  await writeModelCard(dir, updated);
  return updated;
}
