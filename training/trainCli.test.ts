// `restore train` end to end, as a child process: kill -9 mid-run then --resume continues from
// the last checkpoint with the same step numbering and exactly the losses an uninterrupted run
// has; fine-tuning that does not beat its base is not adopted and leaves the base file untouched;
// bad input is a one-line error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { restore, type Event } from '../test/cli/helpers';
import { sha256File } from '../models/registry';
import { unet } from '../models/architectures/unet';

const TRAIN400 = '/work/shared/data/train/gray/Train400';
let dir: string;
let data: string;

const common = ['--task', 'denoise', '--steps', '24', '--batch', '4', '--patch', '32', '--width', '8', '--depth', '3', '--channels', '1',
  '--sigma', '25', '--threads', '1', '--provider', 'cpu', '--val-every', '8', '--checkpoint-every', '8', '--lr', '0.003', '--json'];

const steps = (events: Event[]): { step: number; loss: number }[] =>
  events.filter((e) => e.type === 'step').map((e) => ({ step: e.step as number, loss: e.loss as number }));

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-train-'));
  data = path.join(dir, 'data');
  await fs.mkdir(data);
  const files = (await fs.readdir(TRAIN400)).sort().slice(0, 12);
  for (const f of files) await fs.copyFile(path.join(TRAIN400, f), path.join(data, f));
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('restore train', () => {
  it('Ctrl-C stops after the step with a checked, exported model; twice, at once (exit 130)', async () => {
    // Steps of ~0.2 s (32 x 128² on one thread), so that the run is still going when the second Ctrl-C comes.
    const long = common.map((a, i) => (a === '24' ? '100000' : common[i - 1] === '--patch' ? '128' : common[i - 1] === '--batch' ? '32' : a));
    /** A long run sent a SIGINT once it has taken 3 steps, and with `count` 2 a second one once the
     * first is acknowledged (two sent back to back can merge into one while the child waits for a core). */
    const interrupted = (out: string, count: number) => {
      let sent = 0;
      return restore(['train', '--data', data, '--out', out, ...long], {
        timeoutMs: 120_000,
        onEvent: (e, child) => {
          if (sent > 0 || e.type !== 'step' || (e.step as number) < 3) return;
          sent = 1;
          child.kill('SIGINT');
        },
        onStderr: (text, child) => {
          if (count < 2 || sent !== 1 || !text.includes('interrupted: stopping after this step')) return;
          sent = 2;
          child.kill('SIGINT');
        },
      });
    };
    const once = path.join(dir, 'once', 'once.onnx');
    const r1 = await interrupted(once, 1);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stderr).toContain('interrupted: stopping after this step');
    const last = steps(r1.events).pop()!.step;
    expect(last).toBeLessThan(100);
    expect(r1.events.filter((e) => e.type === 'validation').pop()?.step).toBe(last);
    expect(r1.events.find((e) => e.type === 'done')).toMatchObject({ adopted: true });
    await fs.access(once);

    const twice = path.join(dir, 'twice', 'twice.onnx');
    const r2 = await interrupted(twice, 2);
    expect(r2.code, r2.stderr).toBe(130);
    expect(r2.stderr).toContain('interrupted: stopping now');
    expect(r2.events.some((e) => e.type === 'done')).toBe(false);
    await expect(fs.access(twice)).rejects.toThrow();
  });

  it('resumes after kill -9 with the same step numbering and the same losses', async () => {
    const ref = await restore(['train', '--data', data, '--out', path.join(dir, 'ref', 'ref.onnx'), ...common]);
    expect(ref.code, ref.stderr).toBe(0);
    const refSteps = steps(ref.events);
    expect(refSteps.map((s) => s.step)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));

    const out = path.join(dir, 'run', 'run.onnx');
    const ckpt = path.join(dir, 'run', 'run.ckpt');
    let killedAfter = -1;
    const first = await restore(['train', '--data', data, '--out', out, '--checkpoint', ckpt, ...common], {
      onEvent: (e, child) => {
        if (e.type === 'checkpoint' && (e.step as number) >= 8 && killedAfter < 0) {
          killedAfter = e.step as number;
          child.kill('SIGKILL');
        }
      },
    });
    expect(first.signal).toBe('SIGKILL');
    expect(killedAfter).toBe(8);
    const resumed = await restore(['train', '--data', data, '--out', out, '--checkpoint', ckpt, '--resume', ckpt, ...common]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const rs = steps(resumed.events);
    expect(rs[0]?.step).toBe(killedAfter + 1);
    expect(rs[rs.length - 1]?.step).toBe(24);
    for (const s of rs) {
      const r = refSteps.find((x) => x.step === s.step);
      expect(Math.abs((r?.loss ?? NaN) - s.loss), `step ${s.step}`).toBeLessThan(1e-6 + 1e-4 * s.loss);
    }
    const done = resumed.events.find((e) => e.type === 'done');
    expect(done?.adopted).toBe(true);
    const manifest = JSON.parse(await fs.readFile(path.join(dir, 'run', 'manifest.json'), 'utf8')) as { models: { id: string; sha256: string; training: { steps: number } }[] };
    expect(manifest.models[0]?.sha256).toBe(await sha256File(out));
    await fs.access(path.join(dir, 'run', 'cards', 'run.md'));
  });

  it('--stop-at stops inside the schedule; a resume with more --steps stretches it from there', async () => {
    const out = path.join(dir, 'stop', 'stop.onnx');
    const ckpt = path.join(dir, 'stop', 'stop.ckpt');
    const first = await restore(['train', '--data', data, '--out', out, '--checkpoint', ckpt, ...common, '--stop-at', '5']);
    expect(first.code, first.stderr).toBe(0);
    const fs1 = first.events.filter((e) => e.type === 'step');
    expect(fs1.map((e) => e.step)).toEqual([1, 2, 3, 4, 5]);
    expect(first.events.find((e) => e.type === 'checkpoint')?.step).toBe(5);
    // Rerunning the same command does nothing more: the checkpoint is already at the stop.
    const again = await restore(['train', '--data', data, '--out', out, '--checkpoint', ckpt, '--resume', ckpt, ...common, '--stop-at', '5']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.events.filter((e) => e.type === 'step')).toEqual([]);
    const resumed = await restore(['train', '--data', data, '--out', out, '--checkpoint', ckpt, '--resume', ckpt, ...common, '--steps', '30']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const rs = resumed.events.filter((e) => e.type === 'step');
    expect(rs[0]?.step).toBe(6);
    expect(rs[rs.length - 1]?.step).toBe(30);
    // The 24-step cosine up to step 5, then the 30-step one: its learning rate is higher at step 6.
    const lr = (events: Event[], step: number): number => events.find((e) => e.type === 'step' && e.step === step)?.lr as number;
    const ref = await restore(['train', '--data', data, '--out', path.join(dir, 'stopref', 'r.onnx'), ...common, '--stop-at', '6']);
    expect(lr(resumed.events, 6)).toBeGreaterThan(lr(ref.events, 6));
    expect(lr(first.events, 5)).toBe(lr(ref.events, 5));
  });

  it('does not adopt a fine-tuned model that is no better than its base, and never touches the base', async () => {
    const base = path.join(dir, 'ref', 'ref.onnx');
    const before = await sha256File(base);
    const out = path.join(dir, 'ft', 'ft.onnx');
    const i = common.indexOf('--lr');
    const withoutLr = [...common.slice(0, i), ...common.slice(i + 2)];
    const r = await restore(['train', '--data', data, '--out', out, '--base', base, '--models-dir', path.join(dir, 'ref'), ...withoutLr, '--lr', '1e-8', '--steps', '8']);
    expect(r.code, r.stderr).toBe(0);
    const done = r.events.find((e) => e.type === 'done');
    expect(done?.adopted).toBe(false);
    await expect(fs.access(out)).rejects.toThrow();
    expect(await sha256File(base)).toBe(before);
    const vals = r.events.filter((e) => e.type === 'validation');
    expect(vals[0]?.step).toBe(0);
  });

  it('shapes a U-Net from --widths, --convs and --down, and refuses them for other architectures', async () => {
    const out = path.join(dir, 'u4', 'u4.onnx');
    const shape = ['--arch', 'unet', '--widths', '4,6,8,8', '--convs', '1', '--down', 'pixelunshuffle'];
    const r = await restore(['train', '--data', data, '--out', out, ...common, ...shape, '--steps', '2', '--val-every', '2', '--checkpoint-every', '2']);
    expect(r.code, r.stderr).toBe(0);
    const expected = unet({ inChannels: 1, outChannels: 1, widths: [4, 6, 8, 8], convsPerLevel: 1, down: 'pixelunshuffle', residual: true,
      extraInputs: [{ name: 'noise_level', role: 'noise_level', channels: 1 }], seed: 0 });
    const manifest = JSON.parse(await fs.readFile(path.join(dir, 'u4', 'manifest.json'), 'utf8')) as { models: { parameters: number; multipleOf: number }[] };
    expect(manifest.models[0]?.parameters).toBe(expected.parameters);
    expect(manifest.models[0]?.multipleOf).toBe(8);
    const bad = await restore(['train', '--data', data, '--out', path.join(dir, 'x.onnx'), ...common, '--arch', 'dncnn', '--widths', '8,16']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--widths');
    const badList = await restore(['train', '--data', data, '--out', path.join(dir, 'x.onnx'), ...common, '--arch', 'unet', '--widths', '8,x']);
    expect(badList.code).toBe(2);
  });

  it('reports bad input in one line', async () => {
    const empty = path.join(dir, 'empty');
    await fs.mkdir(empty, { recursive: true });
    const r = await restore(['train', '--data', empty, '--out', path.join(dir, 'x.onnx'), ...common]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(empty);
    const u = await restore(['train', '--data', empty, '--out', path.join(dir, 'x.onnx'), '--task', 'sharpen']);
    expect(u.code).toBe(2);
    // Colour options: the task they apply to, a colour model, a fraction in [0, 1]; one line each.
    const rot = (extra: string[]): Promise<{ code: number | null; stderr: string }> =>
      restore(['train', '--data', data, '--out', path.join(dir, 'rot.onnx'), ...common, ...extra]);
    const upscale = await rot(['--task', 'upscale', '--color-rotate', '0.3']);
    expect([upscale.code, upscale.stderr.trim()]).toEqual([2, expect.stringContaining('--color-rotate applies to the denoise task')]);
    const range = await rot(['--color-rotate', '1.5']);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('color-rotate');
    const mix = await rot(['--thin-scratches', '0.5']);
    expect([mix.code, mix.stderr.trim()]).toEqual([2, expect.stringContaining('--thin-scratches, --gray and --thin-content apply to the detect-damage task')]);
    const frame = await rot(['--hint-frame', '512']);
    expect([frame.code, frame.stderr.trim()]).toEqual([2, expect.stringContaining('--hint-frame applies to the colorize task')]);
    const chroma = await rot(['--task', 'colorize', '--chroma-weight', '10']);
    expect([chroma.code, chroma.stderr.trim()]).toEqual([2, expect.stringContaining('--chroma-weight applies to --loss l1-chroma')]);
    const share = await rot(['--task', 'detect-damage', '--thin-scratches', '0.9']);
    expect([share.code, share.stderr]).toEqual([2, expect.stringContaining('thin-scratches')]);
    const gray = await rot(['--color-rotate', '0.3']);
    expect(gray.code).toBe(1);
    expect(gray.stderr.trim().split('\n')).toHaveLength(1);
    expect(gray.stderr).toContain('colour (3-channel) model');
  });
});
