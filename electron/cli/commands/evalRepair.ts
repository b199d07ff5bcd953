// `restore eval --task repair --set <folder> [--old-print] [--crops <dir>] [--json]`: the old-photo
// chain scored end to end (training/eval/repair.ts): the set's photos damaged by the protocol
// (thin scratches, or with --old-print the old-print degradations), written as files into a
// temporary folder, restored by `restore repair` exactly as a user runs it (no mask given; each
// step's default model), and the outputs scored against the clean photos beside the damaged input.
// The method names the models the chain used (from its file-done events). --json prints one `eval`
// object per row and a `summary`.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scoreRepair, writeRepairInputs, type RepairProtocol } from '../../../training/eval/repair';
import type { CropInfo, CropRequest, EvalRow } from '../../../training/eval/evaluate';
import type { CliIO } from '../io';
import { runProcessCommand } from '../processCommand';
import { spec as repairSpec } from './repair';

export interface RepairEvalOptions {
  set: string; protocol: RepairProtocol; threads: number; provider: string; modelsDirs: string[];
  crops?: string; cropsCount: number; json: boolean;
}

/** Runs `restore repair` in-process on `inDir`; returns the models the steps used (the damage detector first), in order. */
async function runChain(inDir: string, outDir: string, o: RepairEvalOptions, io: CliIO): Promise<string[]> {
  const lines: string[] = [];
  let errors = '';
  const quiet: CliIO = { ...io, isTTY: false, stdout: (t) => void lines.push(t), stderr: (t) => void (errors += t) };
  const args = [inDir, '-o', outDir, '--format', 'png', '--threads', String(o.threads), '--provider', o.provider, '--json', ...o.modelsDirs.flatMap((d) => ['--models-dir', d])];
  const code = await runProcessCommand(repairSpec, args, quiet);
  if (code !== 0) throw new Error(`restore repair failed (exit ${code}): ${errors.trim().split('\n').pop() ?? ''}`);
  const models = new Set<string>();
  for (const line of lines.join('').split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { type: string; steps?: { model?: string; settings?: { detector?: unknown } }[] };
    if (e.type !== 'file-done') continue;
    for (const s of e.steps ?? []) {
      if (typeof s.settings?.detector === 'string') models.add(s.settings.detector);
      if (s.model) models.add(s.model);
    }
  }
  return [...models];
}

export async function runRepairEval(o: RepairEvalOptions, io: CliIO): Promise<number> {
  const t0 = Date.now();
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-eval-repair-'));
  try {
    const set = path.basename(o.set);
    const cases = await writeRepairInputs(o.set, o.protocol, path.join(tmp, 'in'));
    const models = await runChain(path.join(tmp, 'in'), path.join(tmp, 'out'), o, io);
    const method = `repair (${models.join(' + ') || 'no model'})`;
    const onCrop = (c: CropInfo): void => {
      if (o.json) io.stdout(JSON.stringify({ type: 'crop', ...c }) + '\n');
      else io.stderr(`wrote ${c.file} (${c.panels.join(' | ')}; PSNR ${c.psnr.map((p) => p.toFixed(2)).join(' / ')} dB)\n`);
    };
    const crops: CropRequest | undefined = o.crops ? { dir: o.crops, count: o.cropsCount, onCrop } : undefined;
    const rows: EvalRow[] = await scoreRepair(set, o.protocol, cases, path.join(tmp, 'out'), method, crops);
    if (o.json) {
      for (const r of rows) io.stdout(JSON.stringify({ type: 'eval', ...r, anchors: [] }) + '\n');
      io.stdout(JSON.stringify({ type: 'summary', rows: rows.length, seconds: (Date.now() - t0) / 1000, model: null }) + '\n');
    } else {
      const lines = ['set        method                                        protocol                                                   PSNR'];
      for (const r of rows) lines.push(`${r.set.padEnd(10)} ${r.method.padEnd(45)} ${r.protocol.padEnd(58)} ${r.psnr!.toFixed(2).padStart(6)}`);
      io.stdout(lines.join('\n') + '\n');
    }
    return 0;
  } catch (e) {
    io.stderr(`restore eval: ${(e as Error).message.split('\n')[0]}\n`);
    return 1;
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
