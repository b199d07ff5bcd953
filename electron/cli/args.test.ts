import { describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commonOptions, COMMON_OPTIONS, parseCommandArgs, UsageError } from './args';
import { runCli } from './dispatch';
import type { CliIO } from './io';
import { createReporter } from './reporter';

function memoryIO(isTTY = false): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), isTTY, cwd: '/tmp', env: {}, onInterrupt: () => () => undefined };
}

describe('common options', () => {
  it('parses and checks values', () => {
    const { values, positionals } = parseCommandArgs(['a.jpg', '-o', 'out', '--depth', '16', '--provider', 'cpu', '--tile', '256', '-r', '--no-metadata', '--models-dir', 'm1', '--models-dir', 'm2'], COMMON_OPTIONS);
    const o = commonOptions(values, '/w');
    expect(positionals).toEqual(['a.jpg']);
    expect(o).toMatchObject({ output: 'out', depth: 16, provider: 'cpu', tile: 256, recursive: true, keepMetadata: false, modelDirs: ['/w/m1', '/w/m2'], format: 'same', json: false });
  });

  it('turns every mistake into a one-line UsageError', () => {
    const bad = [['--depth', '12'], ['--provider', 'gpu'], ['--threads', '0'], ['--tile', 'big'], ['--format', 'gif'], ['--quality', '101']];
    for (const args of bad) {
      const { values } = parseCommandArgs(args, COMMON_OPTIONS);
      expect(() => commonOptions(values, '/w')).toThrow(UsageError);
    }
    expect(() => parseCommandArgs(['--frobnicate'], COMMON_OPTIONS)).toThrow(/Unknown option '--frobnicate'/);
  });
});

describe('dispatch', () => {
  it('exit code 2 with a message for usage errors, 0 for help', async () => {
    const io = memoryIO();
    expect(await runCli(['nope'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/unknown command "nope"/);
    expect(await runCli(['upscale', 'a.png', '-o', 'b.png'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/--scale 2 or --scale 4 is required/);
    expect(await runCli(['denoise', '/definitely/missing.png', '-o', 'b.png'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/\/definitely\/missing.png: no such file or folder/);
    expect(await runCli(['train'], io)).toBe(2);
    const help = memoryIO();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.out.join('')).toMatch(/restore upscale {2}<input...> -o <output> --scale <2\|4>/);
    expect(await runCli(['inpaint', '--help'], help)).toBe(0);
    expect(help.out.join('')).toMatch(/--mask <image>/);
  });
});

describe('human reporter', () => {
  it('prints plain lines without a terminal and outputs on stdout', () => {
    const io = memoryIO(false);
    const r = createReporter(io, false);
    r.event({ type: 'progress', done: 0, total: 2, etaSeconds: null, fraction: 0, current: '/x/a.png' });
    r.event({ type: 'file-done', input: '/x/a.png', output: '/y/a.png', seconds: 1.25 });
    r.event({ type: 'file-failed', input: '/x/b.png', error: '/x/b.png: truncated file' });
    r.event({ type: 'summary', done: 1, skipped: 0, failed: 1, seconds: 2, provider: 'cpu', interrupted: false, remaining: 0 });
    expect(io.out).toEqual(['/y/a.png\n']);
    expect(io.err).toEqual(['done /x/a.png -> /y/a.png (1.3 s)\n', 'error: /x/b.png: truncated file\n', '1 written, 0 skipped, 1 failed in 2s on cpu\n']);
  });

  it('keeps one updating line on a terminal', () => {
    const io = memoryIO(true);
    const r = createReporter(io, false);
    r.event({ type: 'progress', done: 1, total: 4, etaSeconds: 65, fraction: 0.25, current: '/x/c.png' });
    r.event({ type: 'progress', done: 2, total: 4, etaSeconds: 30, fraction: 0.5 });
    expect(io.err.join('')).toBe('[1/4] 25%  time left 1m05s  c.png\r\x1b[2K[2/4] 50%  time left 30s');
    const narrow = { ...memoryIO(true), columns: 21 };
    createReporter(narrow, false).event({ type: 'progress', done: 1, total: 4, etaSeconds: 65, fraction: 0.25, current: '/x/c.png' });
    expect(narrow.err.join('')).toBe('[1/4] 25%  time left');
  });

  it('writes one JSON object per line with --json', () => {
    const io = memoryIO();
    createReporter(io, true).event({ type: 'file-skipped', input: 'a', output: 'b', reason: 'output exists' });
    expect(io.out.map((l) => JSON.parse(l) as unknown)).toEqual([{ type: 'file-skipped', input: 'a', output: 'b', reason: 'output exists' }]);
  });
});

describe('--dry-run', () => {
  it('prints the plan without a model or an engine', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-dry-'));
    try {
      await fs.mkdir(path.join(dir, 'in', 'sub'), { recursive: true });
      await fs.writeFile(path.join(dir, 'in', 'a.jpg'), 'x');
      await fs.writeFile(path.join(dir, 'in', 'sub', 'b.png'), 'x');
      await fs.mkdir(path.join(dir, 'out'));
      await fs.writeFile(path.join(dir, 'out', 'a.tif'), 'done before');
      const io = { ...memoryIO(), cwd: dir };
      expect(await runCli(['denoise', 'in', '-o', 'out', '-r', '--format', 'tif', '--dry-run'], io)).toBe(0);
      expect(io.out.join('')).toBe(
        `${path.join(dir, 'in', 'a.jpg')} -> ${path.join(dir, 'out', 'a.tif')} (exists, skipped)\n` +
          `${path.join(dir, 'in', 'sub', 'b.png')} -> ${path.join(dir, 'out', 'sub', 'b.tif')}\n`,
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
