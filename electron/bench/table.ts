// Formats benchmark results as an aligned text table: one row per result, one column per field
// seen in any result (blank where a row has none).
import type { BenchResult } from './types';

export function formatTable(results: BenchResult[]): string {
  const cols = ['name'];
  for (const r of results) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const cells = results.map((r) => cols.map((c) => (r[c] === undefined || r[c] === null ? '' : String(r[c]))));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]): string => row.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}
