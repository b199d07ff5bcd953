// Model cards: one markdown page per model (models/cards/<id>.md, the entry's `card` field) with
// what the model is, its I/O, how it was trained (the exact command), and its evaluation next to the
// published anchors on the same set and setting. Generated from the manifest entry, so the card
// and the manifest cannot disagree; hand-written observations (before/after pictures, what was
// looked at, weaknesses) live in cards/<id>.notes.md and are appended under "Notes".
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { anchorsFor } from './anchors';
import type { ManifestEntry } from './manifest';

function fmtParams(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} K` : String(n);
}

function fmtSeconds(s: number): string {
  if (s < 120) return `${s.toFixed(0)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderModelCard(e: ManifestEntry, notes?: string): string {
  const lines: string[] = [`# ${cell(e.name ?? e.id)}`, ''];
  if (e.description) lines.push(e.description, '');
  const facts: [string, string][] = [
    ['id', `\`${e.id}\``],
    ['task', e.task + (e.scale > 1 ? ` x${e.scale}` : '')],
    ['architecture', e.architecture],
    ['parameters', `${fmtParams(e.parameters)} (${e.parameters.toLocaleString('en-US')})`],
    ['inputs', e.inputs.map((i) => `\`${i.name}\` (${i.role}, ${i.channels} ch)`).join(', ')],
    ['output', `\`${e.output.name}\` (${e.output.role}, ${e.output.channels} ch)`],
    ['receptive field', `${e.receptiveField} px`],
    ['input size', `multiple of ${e.multipleOf}; recommended tile ${e.recommendedTile}`],
    ['file', `\`${e.file}\` (sha256 \`${e.sha256}\`)`],
  ];
  if (e.sigmaRange) facts.push(['sigma range', `${e.sigmaRange[0]}-${e.sigmaRange[1]}`]);
  if (e.workingSize) facts.push(['working size', `${e.workingSize} px (long side)`]);
  lines.push('| | |', '|---|---|', ...facts.map(([k, v]) => `| ${k} | ${cell(v)} |`), '');

  lines.push('## Training', '');
  const t = e.training;
  if (!t) lines.push('No training provenance recorded.', '');
  else {
    lines.push(`- data: ${t.data}`, `- steps: ${t.steps}, seed: ${t.seed}, time: ${fmtSeconds(t.seconds)} on ${t.machine}`);
    if (t.base) lines.push(`- fine-tuned from \`${t.base}\``);
    if (t.date) lines.push(`- date: ${t.date}`);
    lines.push('', 'Reproduce with:', '', '```', t.command, '```', '');
  }

  lines.push('## Evaluation', '');
  if (e.evaluation.length === 0) lines.push('Not evaluated yet.', '');
  else {
    const cf = e.evaluation.some((r) => r.colorfulness !== undefined);
    const detection = e.evaluation.filter((r) => r.f1 !== undefined);
    if (detection.length > 0) {
      lines.push('| set | protocol | threshold | precision | recall | F1 | marked on undamaged photos |', '|---|---|---|---|---|---|---|');
      for (const r of detection) lines.push(`| ${cell(r.set)} | ${cell(r.protocol ?? '')} | ${r.threshold ?? ''} | ${r.precision?.toFixed(3) ?? ''} | ${r.recall?.toFixed(3) ?? ''} | ${r.f1!.toFixed(3)} | ${r.markedClean?.toFixed(3) ?? ''}% |`);
      lines.push('');
    }
    lines.push(`| set | setting | protocol | PSNR (dB) | ${cf ? 'colourfulness (reference)' : 'SSIM'} | published anchors (PSNR dB) |`, '|---|---|---|---|---|---|');
    for (const r of e.evaluation.filter((x) => x.psnr !== undefined)) {
      const setting = r.sigma !== undefined ? `sigma ${r.sigma}` : r.scale !== undefined ? `x${r.scale}` : r.maskArea !== undefined ? `mask ${r.maskArea}` : '';
      const anchors = anchorsFor(e.task, r.set, r).map((a) => `${a.method} ${a.psnr.toFixed(2)}`).join(', ');
      const extra = cf ? (r.colorfulness !== undefined ? `${r.colorfulness.toFixed(1)} (${r.referenceColorfulness?.toFixed(1) ?? '?'})` : '') : r.ssim?.toFixed(4) ?? '';
      lines.push(`| ${cell(r.set)} | ${setting} | ${cell(r.protocol ?? '')} | ${r.psnr?.toFixed(2) ?? '-'} | ${extra} | ${anchors} |`);
    }
    lines.push('', 'Anchors are the published numbers listed in DESIGN.md (denoising: float, unclipped noise; super-resolution: Y channel, border = scale).', '');
  }
  if (notes && notes.trim()) lines.push('## Notes', '', notes.trim(), '');
  return lines.join('\n');
}

/** Writes cards/<id>.md under `modelsDir` atomically; returns the path relative to `modelsDir` (the entry's `card`). */
export async function writeModelCard(modelsDir: string, entry: ManifestEntry): Promise<string> {
  const rel = path.join('cards', `${entry.id}.md`);
  const file = path.join(modelsDir, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const notes = await fs.readFile(path.join(modelsDir, 'cards', `${entry.id}.notes.md`), 'utf8').catch(() => undefined);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeFile(tmp, renderModelCard(entry, notes));
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw new Error(`${file}: cannot write model card (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  return rel.split(path.sep).join('/');
}
