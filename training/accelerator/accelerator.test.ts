// Accelerator jobs end to end on the CPU: `restore train --export-job` writes a job, run_job.py
// (PyTorch executing this module's step graph) first checks its step against the one ONNX Runtime
// computed here (loss, gradient norm, first Adam moments), trains for a few seconds and writes a
// checkpoint, and `restore train --resume` of the same options validates and publishes it.
// Needs a python3 with torch, numpy and Pillow (CI: apt python3-torch); skipped with a message
// when there is none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { restore } from '../../test/cli/helpers';
import { loadManifest } from '../../models/registry';
import { applyColorRotation, applyColorTransform, COLOR_PERMUTATIONS, randomRotation } from '../data/augment';
import { Rng } from '../rng';
import { labSplit } from '../data/degrade';
import { sampleTrainHints, windowMeanAb } from '../data/colorizeSample';
import { renderHints } from '../../electron/engine/color/hints';
import { pushPullFill } from '../../electron/engine/pushPull';
import { randomHoleMask } from '../data/masks';
import { writeHoleBank } from './holeBank';
import { damageOverlay, writeDamageBank } from './damageBank';
import { damageLayer } from '../data/damageSample';
import { compositeTone, jpegRoundTrip } from '../data/degrade';
import { addScreen, applyToneGrain } from '../data/oldPrint';

const PY_CANDIDATES = [process.env.RESTORE_TEST_PYTHON, '/usr/bin/python3', 'python3'].filter((x): x is string => !!x);
const python = PY_CANDIDATES.find((p) => spawnSync(p, ['-c', 'import torch, numpy, PIL'], { stdio: 'ignore' }).status === 0);
if (!python) console.warn(`accelerator test skipped: no python3 with torch, numpy and Pillow (tried ${PY_CANDIDATES.join(', ')}; apt-get install python3-torch python3-pil)`);
const RUN_JOB = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'run_job.py');
const COLOR = '/work/shared/data/train/color/T91';
const DAMAGE = '/work/shared/data/train/damage';

let dir: string;
let data: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-accel-'));
  data = path.join(dir, 'data');
  await fs.mkdir(data);
  for (const f of (await fs.readdir(COLOR)).sort().slice(0, 10)) await fs.copyFile(path.join(COLOR, f), path.join(data, f));
});
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

const jobs: Record<string, string[]> = {
  denoise: ['--task', 'denoise', '--arch', 'unet', '--widths', '8,16', '--sigma', '0-50', '--quantize', '0.5', '--color-aug', '0.5', '--color-rotate', '0.3', '--loss', 'charbonnier', '--patch', '32'],
  upscale: ['--task', 'upscale', '--scale', '2', '--arch', 'subpixel', '--width', '8', '--depth', '2', '--loss', 'l1', '--patch', '16'],
  colorize: ['--task', 'colorize', '--widths', '8,16', '--hint-frame', '64', '--loss', 'l1-chroma', '--chroma-weight', '6', '--patch', '32'],
  inpaint: ['--task', 'inpaint', '--widths', '8,16', '--damage', DAMAGE, '--loss', 'l1', '--patch', '32'],
  'old-print': ['--task', 'denoise', '--old-print', '--sigma', '25', '--arch', 'unet', '--widths', '8,16', '--loss', 'l1', '--patch', '32'],
  'detect-damage': ['--task', 'detect-damage', '--widths', '8,16', '--damage', DAMAGE, '--thin-scratches', '0.6', '--gray', '0.5', '--loss', 'mask-mse', '--patch', '32'],
};

describe.skipIf(!python)('accelerator jobs (PyTorch on the CPU)', () => {
  it('the batch maker colour-augments as the Node pipeline does', () => {
    const plane = 64;
    const x = Float32Array.from({ length: 3 * plane }, (_, i) => ((i * 73) % 256) / 255);
    const script = `import sys, json, torch; sys.path.insert(0, ${JSON.stringify(path.dirname(RUN_JOB))})
from data_torch import color_augment, PERMUTATIONS
x = torch.tensor(json.loads(sys.stdin.read())).reshape(3, 8, 8) * 255
print(json.dumps([[(color_augment(x, p, g) / 255).flatten().tolist() for g in (1.0, 1.7)] for p in PERMUTATIONS]))`;
    const py = spawnSync(python as string, ['-c', script], { input: JSON.stringify([...x]), encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const got = JSON.parse(py.stdout) as number[][][];
    COLOR_PERMUTATIONS.forEach((perm, k) => [1, 1.7].forEach((gain, j) => {
      const want = Float32Array.from(x);
      applyColorTransform(want, plane, perm, gain);
      const diff = Math.max(...(got[k]?.[j] ?? []).map((v, i) => Math.abs(v - (want[i] as number))));
      expect(diff).toBeLessThan(1e-5);
    }));
  });

  it('the batch maker colour-rotates as the Node pipeline does, with orthogonal matrices', () => {
    const plane = 64;
    const x = Float32Array.from({ length: 3 * plane }, (_, i) => ((i * 37) % 256) / 255);
    const mats = [0, 1, 2].map((seed) => randomRotation(new Rng(seed)));
    const script = `import sys, json, torch, numpy as np; sys.path.insert(0, ${JSON.stringify(path.dirname(RUN_JOB))})
from data_torch import color_rotate, random_rotation
d = json.loads(sys.stdin.read()); x = torch.tensor(d["x"]).reshape(3, 8, 8) * 255
m = random_rotation(np.random.default_rng(0))
print(json.dumps({"out": [(color_rotate(x, mm) / 255).flatten().tolist() for mm in d["mats"]], "gram": (m @ m.T).tolist()}))`;
    const py = spawnSync(python as string, ['-c', script], { input: JSON.stringify({ x: [...x], mats }), encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const got = JSON.parse(py.stdout) as { out: number[][]; gram: number[][] };
    mats.forEach((m, k) => {
      const want = Float32Array.from(x);
      applyColorRotation(want, plane, m);
      const diff = Math.max(...(got.out[k] ?? []).map((v, i) => Math.abs(v - (want[i] as number))));
      expect(diff).toBeLessThan(1e-5);
    });
    got.gram.forEach((row, a) => row.forEach((v, b) => expect(v).toBeCloseTo(a === b ? 1 : 0, 9)));
  });

  it('colorize batches: Lab split and colour points as the Node pipeline makes them', () => {
    const side = 12;
    const rgb = Float32Array.from({ length: 3 * side * side }, (_, i) => ((i * 97 + 13) % 255) / 255);
    const { luma, ab } = labSplit({ c: 3, h: side, w: side, data: rgb });
    // Points far enough apart that no discs overlap (the GPU renderer writes them in any order).
    const pts = [{ x: 0, y: 0, r: 3 }, { x: 10, y: 2, r: 1 }, { x: 5, y: 9, r: 2 }, { x: 11, y: 11, r: 0 }];
    const want = renderHints(pts.map((p) => ({ x: p.x, y: p.y, radius: p.r, ...windowMeanAb(ab, side, p.x, p.y) })), side, side);
    const script = `import sys, json, torch, numpy as np; sys.path.insert(0, ${JSON.stringify(path.dirname(RUN_JOB))})
from colorize_torch import lab_split, render_hints, sample_points
d = json.loads(sys.stdin.read()); x = torch.tensor(d["rgb"]).reshape(1, 3, ${side}, ${side})
luma, ab = lab_split(x)
p = [np.array([q[k] for q in d["pts"]]) for k in ("x", "y", "r")]
ha, hm = render_hints(ab, [tuple(p)])
rng = np.random.default_rng(1)
draws = [len(sample_points(256, rng, 512)[0]) for _ in range(4000)]
print(json.dumps({"luma": luma.flatten().tolist(), "ab": ab.flatten().tolist(), "hintAb": ha.flatten().tolist(), "mask": hm.flatten().tolist(), "draws": draws}))`;
    const py = spawnSync(python as string, ['-c', script], { input: JSON.stringify({ rgb: [...rgb], pts }), encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const got = JSON.parse(py.stdout) as Record<string, number[]>;
    const maxDiff = (a: number[], b: Float32Array): number => Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));
    expect(maxDiff(got.luma!, luma)).toBeLessThan(1e-5);
    expect(maxDiff(got.ab!, ab)).toBeLessThan(1e-5);
    expect(maxDiff(got.hintAb!, want.ab)).toBeLessThan(1e-5);
    expect(maxDiff(got.mask!, want.mask)).toBe(0);
    expect(want.mask.reduce((a, v) => a + v, 0)).toBe(11 + 5 + 13 + 1); // the radius-3 disc cut to a quarter by the corner
    // Point counts per 256-px crop, drawn per 512-px frame: the same law as sampleTrainHints.
    const rng = new Rng(1);
    const node = Array.from({ length: 4000 }, () => sampleTrainHints(new Float32Array(2 * 256 * 256), 256, rng, 512).length);
    const stats = (xs: number[]): [number, number] => [xs.filter((v) => v === 0).length / xs.length, xs.reduce((a, v) => a + v, 0) / xs.length];
    const [zeroPy, meanPy] = stats(got.draws!);
    const [zeroNode, meanNode] = stats(node);
    expect(Math.abs(zeroPy - zeroNode)).toBeLessThan(0.04);
    expect(Math.abs(meanPy - meanNode) / meanNode).toBeLessThan(0.15);
  });

  it('inpaint batches: push-pull fill as the engine computes it, holes from the bank as masks.ts drew them', async () => {
    // Odd sides (uneven pyramid levels), a hole of blobs and a line, one sample without holes and one all hole.
    const w = 37, h = 29, n = w * h;
    const rng = new Rng(5);
    const img = Float32Array.from({ length: 3 * 3 * n }, () => rng.next());
    const hole = new Float32Array(3 * n);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      if (Math.hypot(x - 9, y - 8) < 6 || Math.hypot(x - 30, y - 22) < 4 || x === 20) hole[y * w + x] = 1;
    }
    hole.fill(1, 2 * n);
    const want = Float32Array.from(img);
    for (let k = 0; k < 3; k++) pushPullFill(want.subarray(3 * k * n, 3 * (k + 1) * n), 3, hole.subarray(k * n, (k + 1) * n), w, h);
    const bankFile = path.join(dir, 'holes.bin.gz');
    const bank = await writeHoleBank(bankFile, 24, 7, undefined, 5);
    const script = `import sys, json, torch; sys.path.insert(0, ${JSON.stringify(path.dirname(RUN_JOB))})
from inpaint_torch import push_pull_fill, load_hole_bank
d = json.loads(sys.stdin.read())
x = torch.tensor(d["img"]).reshape(3, 3, ${h}, ${w}); m = torch.tensor(d["hole"]).reshape(3, 1, ${h}, ${w})
holes = load_hole_bank(d["bank"], ${bank.count}, ${bank.side}, "cpu")
print(json.dumps({"filled": push_pull_fill(x, m).flatten().tolist(), "holes": holes.flatten().tolist()}))`;
    const py = spawnSync(python as string, ['-c', script], { input: JSON.stringify({ img: [...img], hole: [...hole], bank: bankFile }), encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const got = JSON.parse(py.stdout) as { filled: number[]; holes: number[] };
    const diff = Math.max(...got.filled.map((v, i) => Math.abs(v - (want[i] as number))));
    expect(diff).toBeLessThan(1e-5);
    expect(got.filled.slice(0, 3 * n).some((v, i) => Math.abs(v - (img[i] as number)) > 0.01)).toBe(true);
    const drawn = new Rng(7);
    const holes = Array.from({ length: 5 }, () => [...randomHoleMask(24, drawn)]).flat();
    expect(got.holes).toEqual(holes);
    expect(holes.some((v) => v > 0)).toBe(true);
  });

  it('detect-damage batches: overlays from the bank composite as the Node layers do, JPEG as sharp makes it', async () => {
    const side = 24, n = side * side, mix = { thinScratches: 0.6, gray: 0.5 };
    const rng = new Rng(11);
    const x = Float32Array.from({ length: 3 * n }, () => rng.next());
    // One overlay = its layers composited one after the other (damageSample.ts damageExample).
    for (const seed of [1, 2, 3]) {
      const { a, b } = damageOverlay(side, new Rng(seed), undefined, mix);
      const replay = new Rng(seed), seq = { c: 3, h: side, w: side, data: Float32Array.from(x) };
      for (let k = 0, layers = 1 + replay.int(3); k < layers; k++) {
        const alpha = damageLayer(side, replay, mix.thinScratches, undefined);
        const tone = replay.next() < 0.6 ? replay.uniform(0.75, 1) : replay.uniform(0, 0.3);
        compositeTone(seq, alpha, tone, replay.uniform(0.5, 1));
      }
      const diff = Math.max(...seq.data.map((v, i) => Math.abs(v - ((x[i] as number) * (1 - (a[i % n] as number)) + (b[i % n] as number)))));
      expect(diff).toBeLessThan(1e-5);
      expect(a.some((v) => v > 0)).toBe(true);
    }
    const bankFile = path.join(dir, 'damage.bin.gz');
    const bank = await writeDamageBank(bankFile, side, 7, undefined, mix, 4);
    const jpeg = await jpegRoundTrip({ c: 3, h: side, w: side, data: x }, 80);
    const script = `import sys, json, torch; sys.path.insert(0, ${JSON.stringify(path.dirname(RUN_JOB))})
from detect_torch import load_damage_bank, jpeg_round_trip
d = json.loads(sys.stdin.read())
a, b, t = load_damage_bank(d["bank"], ${bank.count}, ${bank.side}, "cpu")
x = torch.tensor(d["x"]).reshape(1, 3, ${side}, ${side})
print(json.dumps({"a": a.flatten().tolist(), "b": b.flatten().tolist(), "t": t.flatten().tolist(), "jpeg": jpeg_round_trip(x, 80).flatten().tolist()}))`;
    const py = spawnSync(python as string, ['-c', script], { input: JSON.stringify({ x: [...x], bank: bankFile }), encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const got = JSON.parse(py.stdout) as Record<string, number[]>;
    const drawn = new Rng(7);
    const want = Array.from({ length: 4 }, () => damageOverlay(side, drawn, undefined, mix));
    expect(got.a).toEqual(want.flatMap((o) => [...o.a].map((v) => Math.round(v * 255))));
    expect(got.b).toEqual(want.flatMap((o) => [...o.b].map((v) => Math.round(v * 255))));
    expect(got.t).toEqual(want.flatMap((o) => [...o.target]));
    // Pillow's and sharp's JPEG of the same 8-bit image agree to within a few levels.
    const jd = got.jpeg!.map((v, i) => Math.abs(v - (jpeg.data[i] as number)));
    expect(jd.reduce((s, v) => s + v, 0) / jd.length).toBeLessThan(2 / 255);
  });

  it('old-print batches: screen, mid-tone grain and gray JPEG as the Node pipeline makes them', async () => {
    const h = 19, w = 23, n = h * w;
    const rng = new Rng(13);
    const x = Float32Array.from({ length: 3 * n }, () => rng.next());
    const grain = Float32Array.from({ length: n }, () => rng.normal());
    const screened = { c: 3, h, w, data: Float32Array.from(x) };
    addScreen(screened, 4.5, 0.6, 0.12);
    const grained = { c: 3, h, w, data: Float32Array.from(x) };
    applyToneGrain(grained, grain, 0.08);
    const gray = { c: 1, h, w, data: x.slice(0, n) };
    const jpeg = await jpegRoundTrip(gray, 60);
    const script = `import sys, json, torch; sys.path.insert(0, ${JSON.stringify(path.dirname(RUN_JOB))})
from oldprint_torch import add_screen, apply_tone_grain
from detect_torch import jpeg_round_trip
d = json.loads(sys.stdin.read())
x = torch.tensor(d["x"]).reshape(1, 3, ${h}, ${w}); g = torch.tensor(d["grain"]).reshape(1, 1, ${h}, ${w})
print(json.dumps({"screen": add_screen(x, 4.5, 0.6, 0.12).flatten().tolist(), "grain": apply_tone_grain(x, g, 0.08).flatten().tolist(),
  "jpeg": jpeg_round_trip(x[:, :1], 60).flatten().tolist()}))`;
    const py = spawnSync(python as string, ['-c', script], { input: JSON.stringify({ x: [...x], grain: [...grain] }), encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const got = JSON.parse(py.stdout) as Record<string, number[]>;
    const maxDiff = (a: number[], b: Float32Array): number => Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));
    expect(maxDiff(got.screen!, screened.data)).toBeLessThan(1e-5);
    expect(maxDiff(got.grain!, grained.data)).toBeLessThan(1e-5);
    expect(maxDiff(got.screen!, x)).toBeGreaterThan(0.01);
    // Pillow's and sharp's gray JPEG of the same 8-bit image agree to within a few levels.
    const jd = got.jpeg!.map((v, i) => Math.abs(v - (jpeg.data[i] as number)));
    expect(got.jpeg!.length).toBe(n);
    expect(jd.reduce((s, v) => s + v, 0) / n).toBeLessThan(2 / 255);
  });

  it('weights over the 16 MiB a file back may be are written in parts, in order', async () => {
    const out = path.join(dir, 'parts', 'w.params');
    await fs.mkdir(path.dirname(out), { recursive: true });
    const script = `import sys; sys.path.insert(0, ${JSON.stringify(path.dirname(RUN_JOB))})
import run_job
run_job.write_params(sys.argv[1] + ".small", bytes(range(8)))
run_job.PARAMS_PART_BYTES = 10
run_job.write_params(sys.argv[1], bytes(range(25)))`;
    const py = spawnSync(python as string, ['-c', script, out], { encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    expect((await fs.readdir(path.dirname(out))).sort()).toEqual(['w.params.1', 'w.params.2', 'w.params.3', 'w.params.small']);
    const parts = await Promise.all([1, 2, 3].map((k) => fs.readFile(`${out}.${k}`)));
    expect(parts.map((b) => b.length)).toEqual([10, 10, 5]);
    expect([...Buffer.concat(parts)]).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect([...(await fs.readFile(`${out}.small`))]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  for (const [name, opts] of Object.entries(jobs)) {
    it(`${name}: export, check against ONNX Runtime, train, resume and publish`, async () => {
      const common = ['train', '--data', data, '--seed', '3', '--batch', '2', '--warmup', '5', '--threads', '1', '--provider', 'cpu', ...opts];
      const job = path.join(dir, `job-${name}`);
      const exp = await restore([...common, '--steps', '1000', '--out', path.join(dir, `${name}.onnx`), '--export-job', job]);
      expect(exp.code, exp.stderr).toBe(0);
      expect(exp.stderr).toMatch(/wrote accelerator job .*check\.bin/);
      const ckpt = path.join(dir, `${name}.ckpt`);
      const log = path.join(dir, `${name}.jsonl`);
      const py = spawnSync(python as string, [RUN_JOB, '--job', job, '--data', data, '--out', ckpt, '--minutes', '0.2', '--device', 'cpu', '--log', log, '--log-every', '5'],
        { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 120_000 });
      expect(py.status, py.stderr).toBe(0);
      const events = (await fs.readFile(log, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const check = events.find((e) => e.event === 'check' && typeof e.ok === 'boolean');
      expect(check?.ok).toBe(true);
      expect(check?.gradients as number).toBeLessThan(1e-3);
      const done = events.find((e) => e.event === 'done') as { step: number };
      expect(done.step).toBeGreaterThan(2);
      // Back here: the same options resume the checkpoint, validate it once and publish it.
      const back = await restore([...common, '--steps', String(done.step), '--resume', ckpt, '--out', path.join(dir, 'out', `${name}.onnx`), '--json']);
      expect(back.code, back.stderr).toBe(0);
      const val = back.events.find((e) => e.type === 'validation');
      expect(val?.step).toBe(done.step);
      expect(Number.isFinite(val?.psnr as number)).toBe(true);
      const entry = (await loadManifest(path.join(dir, 'out'))).find((e) => e.id === name);
      expect(entry?.training?.steps).toBe(done.step);
      // A checkpoint cannot come back into another configuration.
      const other = await restore([...common, '--steps', String(done.step), '--seed', '4', '--resume', ckpt, '--out', path.join(dir, 'x.onnx')]);
      expect(other.code).toBe(1);
      expect(other.stderr).toMatch(/checkpoint belongs to another configuration/);
    });
  }
});
