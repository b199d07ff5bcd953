// `restore colorize` with colour points and saturation, run as a user would (node bin/restore.js,
// small seeded models): points change the colour where they are, --saturation 0 gives gray, a
// colour input is colourized from its lightness (said on stderr) unless --monochrome-only keeps it
// as it is, and every bad hints file or value is a usage error (exit 2) naming the problem, with nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { ModelDir } from '../../electron/engine/test/models';
import { restore, tempDir, testModels, writeImage } from './helpers';
import { hexToAb } from '../../electron/engine/color/hints';
import { srgbToLab } from '../../electron/engine/color/lab';

let dir: string;
let models: ModelDir;
const common = (): string[] => ['--models-dir', models.dir, '--threads', '1'];

beforeAll(async () => {
  dir = await tempDir('colorize');
  models = await testModels();
  await writeImage(path.join(dir, 'gray.png'), 64, 48, { channels: 1 });
  await writeImage(path.join(dir, 'colour.png'), 64, 48);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
  await models.cleanup();
});

async function rgb(file: string): Promise<Buffer> {
  return sharp(file).removeAlpha().raw().toBuffer();
}

describe('restore colorize --hints / --saturation', () => {
  it('a colour point changes the colour where it is, not far away', async () => {
    const auto = path.join(dir, 'auto.png');
    const guided = path.join(dir, 'guided.png');
    const hints = path.join(dir, 'points.json');
    await fs.writeFile(hints, JSON.stringify([{ x: 10, y: 10, color: '#00c000', radius: 3 }]));
    expect((await restore(['colorize', path.join(dir, 'gray.png'), '-o', auto, ...common()])).code).toBe(0);
    const r = await restore(['colorize', path.join(dir, 'gray.png'), '-o', guided, '--hints', hints, ...common()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('in colour'); // a gray picture stored as RGB is not a colour input
    const [a, g] = await Promise.all([rgb(auto), rgb(guided)]);
    const at = (buf: Buffer, x: number, y: number): number[] => [0, 1, 2].map((k) => buf[(y * 64 + x) * 3 + k]!);
    // closer in chroma to the point's colour at the point than the automatic result is
    const want = hexToAb('#00c000');
    const chromaDistance = (px: number[]): number => {
      const lab = [0, 0, 0];
      srgbToLab(px[0]! / 255, px[1]! / 255, px[2]! / 255, lab);
      return Math.hypot(lab[1]! - want.a, lab[2]! - want.b);
    };
    expect(chromaDistance(at(g, 10, 10))).toBeLessThan(chromaDistance(at(a, 10, 10)) - 10);
    expect(at(g, 60, 44)).toEqual(at(a, 60, 44)); // untouched far away (the test model sees 5 px)
    expect((await sharp(guided).metadata()).xmp?.toString()).toMatch(/hints[^,}]*1/);
  });

  it('--saturation 0 gives a gray result; a colour input is colourized from its lightness', async () => {
    const out = path.join(dir, 'sat0.png');
    const r = await restore(['colorize', path.join(dir, 'colour.png'), '-o', out, '--saturation', '0', ...common()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('colour.png is in colour (or toned); it is colourized from its lightness');
    const px = await rgb(out);
    for (let i = 0; i < px.length; i += 3) expect(Math.max(Math.abs(px[i]! - px[i + 1]!), Math.abs(px[i + 1]! - px[i + 2]!))).toBeLessThanOrEqual(1);
  });

  it('--monochrome-only colourizes the gray picture and writes the colour one unchanged, saying so', async () => {
    const out = path.join(dir, 'mono-only');
    const r = await restore(['colorize', path.join(dir, 'gray.png'), path.join(dir, 'colour.png'), '-o', out, '--monochrome-only', '--format', 'png', '--json', ...common()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/colourized from its lightness/);
    expect(Buffer.compare(await rgb(path.join(out, 'colour.png')), await rgb(path.join(dir, 'colour.png')))).toBe(0);
    const gray = await rgb(path.join(out, 'gray.png'));
    let tinted = 0;
    for (let i = 0; i < gray.length; i += 3) if (gray[i] !== gray[i + 1] || gray[i + 1] !== gray[i + 2]) tinted++;
    expect(tinted).toBeGreaterThan(gray.length / 3 / 2);
    const skipped = r.events.filter((e) => e.type === 'file-done').map((e) => ({ input: path.basename(String(e.input)), skipped: (e.steps as { settings: { skipped?: string } }[])[0]!.settings.skipped }));
    expect(skipped.sort((a, b) => a.input.localeCompare(b.input))).toEqual([{ input: 'colour.png', skipped: 'colour photo' }, { input: 'gray.png', skipped: undefined }]);
  });

  it('bad hints files and values are usage errors naming the problem; nothing is written', async () => {
    const file = (name: string, text: string): Promise<string> => fs.writeFile(path.join(dir, name), text).then(() => path.join(dir, name));
    const cases: [string[], RegExp][] = [
      [['--hints', await file('bad.json', '[{"x": 1,')], /bad\.json: not valid JSON/],
      [['--hints', await file('obj.json', '{"x": 1}')], /obj\.json: hints must be a JSON array/],
      [['--hints', await file('colour.json', '[{"x": 1, "y": 1, "color": "green"}]')], /colour\.json: hint 1: "color" must be "#rrggbb" \(got "green"\)/],
      [['--hints', await file('out.json', '[{"x": 1, "y": 1, "color": "#00ff00"}, {"x": 64, "y": 1, "color": "#00ff00"}]')], /hint 2: point \(64, 1\) is outside .*gray\.png \(64 x 48 pixels\)/],
      [['--hints', path.join(dir, 'missing.json')], /missing\.json: cannot read the hints file \(ENOENT\)/],
      [['--saturation', '3'], /--saturation 3: expected a number from 0 to 2/],
    ];
    for (const [extra, message] of cases) {
      const out = path.join(dir, 'never.png');
      const r = await restore(['colorize', path.join(dir, 'gray.png'), '-o', out, ...extra, ...common()]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      await expect(fs.stat(out)).rejects.toThrow();
    }
  });
});
