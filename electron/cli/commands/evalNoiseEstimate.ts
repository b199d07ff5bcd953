// `restore eval --task noise-estimate --set <folder> [--sigma N] [--json]`: how far the blind noise
// estimator of `denoise --sigma auto` is from the true sigma on an evaluation set
// (training/eval/noiseEstimate.ts), at --sigma or at 5, 15, 25, 50 and 75, float unclipped and
// 8-bit clipped and 8-bit saved as JPEG q75, beside the plain Immerkaer + MAD baseline. --json prints one `noise-estimate`
// object per row and a `summary`.
import { evalNoiseEstimate, type NoiseEstimateRow } from '../../../training/eval/noiseEstimate';
import type { CliIO } from '../io';

export const NOISE_SIGMAS = [5, 15, 25, 50, 75];

function formatTable(rows: NoiseEstimateRow[]): string {
  const lines = ['set        sigma  method         protocol          images  mean |err|  max |err|    bias'];
  for (const r of rows) {
    lines.push(
      `${r.set.padEnd(10)} ${String(r.sigma).padStart(5)}  ${r.method.padEnd(14)} ${r.protocol.padEnd(16)} ${String(r.images).padStart(6)}` +
        `  ${r.meanAbsError.toFixed(2).padStart(10)}  ${r.maxAbsError.toFixed(2).padStart(9)}  ${r.bias.toFixed(2).padStart(6)}`,
    );
  }
  return lines.join('\n') + '\n';
}

export async function runNoiseEstimateEval(o: { set: string; sigma?: number; json: boolean }, io: CliIO): Promise<number> {
  const t0 = Date.now();
  const rows: NoiseEstimateRow[] = [];
  try {
    for (const sigma of o.sigma !== undefined ? [o.sigma] : NOISE_SIGMAS) {
      const part = await evalNoiseEstimate(o.set, sigma);
      rows.push(...part);
      if (o.json) for (const r of part) io.stdout(JSON.stringify({ type: 'noise-estimate', ...r }) + '\n');
    }
  } catch (e) {
    io.stderr(`restore eval: ${(e as Error).message.split('\n')[0]}\n`);
    return 1;
  }
  if (o.json) io.stdout(JSON.stringify({ type: 'summary', rows: rows.length, seconds: (Date.now() - t0) / 1000 }) + '\n');
  else io.stdout(formatTable(rows));
  return 0;
}
