import { describe, expect, it } from 'vitest';
import path from 'node:path';
import type { InputFile } from './inputs';
import { PlanError, planOutputs } from './plan';

const cwd = '/work/x';
const folder = (root: string, rel: string, argIndex = 0): InputFile => ({ path: path.join(cwd, root, rel), rel, root: path.join(cwd, root), argIndex, fromFolder: true });
const file = (p: string, argIndex = 0): InputFile => ({ path: path.join(cwd, p), rel: path.basename(p), root: path.dirname(path.join(cwd, p)), argIndex, fromFolder: false });
const base = { cwd, format: 'same' as const, outputIsFolder: false, argCount: 1, caseInsensitive: false };

describe('planOutputs', () => {
  it('-o is a file for one input file; format from its extension', () => {
    expect(planOutputs([file('a.jpg')], { ...base, output: 'out.png' })).toEqual([{ input: '/work/x/a.jpg', output: '/work/x/out.png', format: 'png' }]);
    expect(planOutputs([file('a.jpeg')], { ...base, output: 'res/out' })[0]).toMatchObject({ output: '/work/x/res/out', format: 'jpg' });
    expect(() => planOutputs([file('a.jpg')], { ...base, output: 'out.png', format: 'jpg' })).toThrow(PlanError);
  });

  it('-o is a folder when it is one, for several inputs, and for folder arguments', () => {
    expect(planOutputs([file('a.jpg')], { ...base, output: 'out', outputIsFolder: true })[0]!.output).toBe('/work/x/out/a.jpg');
    const tree = [folder('in', 'a.jpg'), folder('in', path.join('sub', 'b.tiff')), folder('in', 'c.avif')];
    expect(planOutputs(tree, { ...base, output: 'out' }).map((p) => [p.output, p.format])).toEqual([
      ['/work/x/out/a.jpg', 'jpg'],
      ['/work/x/out/sub/b.tiff', 'tif'],
      ['/work/x/out/c.png', 'png'],
    ]);
    const multi = [file('p/a.jpg', 0), folder('q', 'b.png', 1), folder('q', path.join('s', 'c.png'), 1)];
    expect(planOutputs(multi, { ...base, output: 'out', argCount: 2 }).map((p) => p.output)).toEqual([
      '/work/x/out/a.jpg',
      '/work/x/out/q/b.png',
      '/work/x/out/q/s/c.png',
    ]);
  });

  it('--format changes the extension', () => {
    const plans = planOutputs([folder('in', 'a.JPG'), folder('in', 'b.png')], { ...base, output: 'out', format: 'tif' });
    expect(plans.map((p) => [path.basename(p.output), p.format])).toEqual([['a.tif', 'tif'], ['b.tif', 'tif']]);
  });

  it('refuses an output that would overwrite an input or the mask', () => {
    expect(() => planOutputs([file('a.jpg')], { ...base, output: 'a.jpg' })).toThrow(/would overwrite an input/);
    expect(() => planOutputs([folder('in', 'a.jpg'), folder('in', 'a.png')], { ...base, output: 'in', format: 'png' })).toThrow(/would overwrite an input/);
    expect(() => planOutputs([file('a.jpg')], { ...base, output: 'm.png', protect: ['m.png'] })).toThrow(/would overwrite/);
    expect(planOutputs([folder('in', 'a.jpg')], { ...base, output: 'in', format: 'png' })[0]!.output).toBe('/work/x/in/a.png');
  });

  it('refuses two inputs that would land on one output', () => {
    expect(() => planOutputs([folder('in', 'a.jpg'), folder('in', 'a.tif')], { ...base, output: 'out', format: 'png' })).toThrow(/would both be written to \/work\/x\/out\/a.png: rename one of them, or process them in separate runs$/);
    expect(() => planOutputs([file('p/a.jpg', 0), file('q/a.jpg', 1)], { ...base, output: 'out', argCount: 2 })).toThrow(PlanError);
    expect(() => planOutputs([folder('in', 'A.jpg'), folder('in', 'a.jpg')], { ...base, output: 'out', caseInsensitive: true })).toThrow(PlanError);
  });
});
