// Runs one measurement in a fresh Node process (the bench bundle with --child <json spec>) so
// that its peak RSS is its own; the child prints its result as the last stdout line.
import { spawn } from 'node:child_process';
import type { BenchResult } from './types';

export async function runInChild(script: string, spec: object, timeoutMs = 20 * 60_000): Promise<BenchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, '--child', JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as BenchResult);
      else reject(new Error(`bench child failed (${signal ?? `exit code ${code}`}): ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}
