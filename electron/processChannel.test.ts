// The channel to a helper process, on a real forked Node child: messages both ways, one exit report
// per subscriber (late subscribers at once), nothing sent or killed after the exit.
import { describe, expect, it } from 'vitest';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childProcessChannel } from './processChannel';

describe('childProcessChannel', () => {
  it('carries messages both ways and reports the exit once to every subscriber, late ones too', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'channel-'));
    try {
      const script = path.join(dir, 'echo.cjs');
      writeFileSync(script, "process.on('message', (m) => process.send({ echo: m.n * 2 }, () => { if (m.last) process.exit(3); }));\n");
      const ch = childProcessChannel<{ n: number; last?: boolean }, { echo: number }>(fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
      expect(ch.pid).toBeGreaterThan(0);
      const got: number[] = [];
      ch.onMessage((m) => got.push(m.echo));
      const exits: Array<[number | null, string | null]> = [];
      const gone = new Promise<void>((resolve) => ch.onExit((code, signal) => { exits.push([code, signal]); resolve(); }));
      ch.send({ n: 1 });
      ch.send({ n: 2, last: true });
      await gone;
      await expect.poll(() => got).toEqual([2, 4]);
      expect(exits).toEqual([[3, null]]);
      const late: Array<[number | null, string | null]> = [];
      ch.onExit((code, signal) => late.push([code, signal]));
      expect(late).toEqual([[3, null]]);
      expect(() => { ch.send({ n: 5 }); ch.kill(); }).not.toThrow();
      expect(exits).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
