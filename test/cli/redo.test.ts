// "Skip finished" honours changed settings (issue 16, item 3): an existing output is skipped only
// when its processing record (XMP, written by the engine) says it was made by the steps asked for
// now; otherwise it is redone, and file-done says why (`redone`), as does a note in human output.
// A file we did not make (no record) is still skipped; --overwrite still redoes everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { readProcessing } from '../../electron/imageio/xmp';
import { ofType, restore, tempDir, useTestModels, writeImage } from './helpers';

const models = useTestModels();
let dir: string;

beforeAll(async () => {
  dir = await tempDir('redo');
  await writeImage(path.join(dir, 'in', 'a.png'), 40, 30);
  await writeImage(path.join(dir, 'in', 'b.jpg'), 40, 30);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const out = (): string => path.join(dir, 'out');
const run = (cmd: string[], extra: string[] = [], json = true) =>
  restore([...cmd, path.join(dir, 'in'), '-o', out(), ...(json ? ['--json'] : []), '--models-dir', models().dir, '--threads', '1', ...extra]);

async function recordOf(file: string): Promise<Record<string, string> | undefined> {
  return readProcessing((await sharp(file).metadata()).xmp);
}

describe('skip finished outputs only when their settings match', () => {
  it('skips outputs made with the same steps, redoes (and says why) those made with others', async () => {
    const first = await run(['denoise', '--sigma', '10']);
    expect(first.code, first.stderr).toBe(0);
    expect(ofType(first.events, 'file-done')).toHaveLength(2);

    const same = await run(['denoise', '--sigma', '10']);
    expect(ofType(same.events, 'file-skipped').map((e) => e.reason)).toEqual(['output exists', 'output exists']);

    const changed = await run(['denoise', '--sigma', '20']);
    expect(changed.code, changed.stderr).toBe(0);
    const redone = ofType(changed.events, 'file-done');
    expect(redone).toHaveLength(2);
    for (const e of redone) expect(String(e.redone)).toMatch(/sigma 10.*sigma 20/);
    expect(ofType(changed.events, 'file-skipped')).toEqual([]);
    expect(JSON.parse((await recordOf(path.join(out(), 'a.png')))!.steps!)[0].settings.sigma).toBe(20);

    const again = await run(['denoise', '--sigma', '20']);
    expect(ofType(again.events, 'file-skipped')).toHaveLength(2);
    const dry = await run(['denoise', '--sigma', '10'], ['--dry-run']);
    expect(ofType(dry.events, 'plan').map((e) => [e.skip, e.redo])).toEqual([
      [false, 'made with denoise sigma 20; now denoise sigma 10'],
      [false, 'made with denoise sigma 20; now denoise sigma 10'],
    ]);
  });

  it('another chain of steps is redone; human output prints a note', async () => {
    const r = await run(['upscale', '--scale', '2'], [], false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/redone.*a\.png.*denoise sigma 20.*upscale x2|a\.png.*redone.*denoise sigma 20.*upscale x2/);
    const again = await run(['upscale', '--scale', '2']);
    expect(ofType(again.events, 'file-skipped')).toHaveLength(2);
    const tta = await run(['upscale', '--scale', '2', '--tta']);
    expect(ofType(tta.events, 'file-done').map((e) => e.redone)).toEqual([expect.stringMatching(/tta/), expect.stringMatching(/tta/)]);
  });

  it('a file we did not make is skipped; --overwrite redoes everything', async () => {
    const foreign = path.join(dir, 'foreign');
    await writeImage(path.join(foreign, 'a.png'), 40, 30); // no processing record
    const r = await restore(['denoise', path.join(dir, 'in', 'a.png'), '-o', path.join(foreign, 'a.png'), '--sigma', '10', '--json', '--models-dir', models().dir, '--threads', '1']);
    expect(ofType(r.events, 'file-skipped')).toMatchObject([{ reason: 'output exists' }]);
    const all = await run(['upscale', '--scale', '2', '--tta'], ['--overwrite']);
    expect(ofType(all.events, 'file-done')).toHaveLength(2);
    expect(ofType(all.events, 'file-skipped')).toEqual([]);
  });
});
