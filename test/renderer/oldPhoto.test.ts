// "Restore old photo" and "Find damage" logic of the Restore view, without a browser: the
// monochrome test on real photos (colour photos from the shared evaluation sets, the same photos
// made gray and sepia-toned, as old prints are), the detector mask's thresholding into
// a mask-layer bitmap, the percent display, the preset chain and the repair step it sends.
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../electron/api/contract';
import { chainProblem, chainToSteps, defaultChain, oldPhotoChain } from '../../renderer/src/lib/chain';
import { thresholdMask } from '../../renderer/src/lib/maskBits';
import { formatPercent } from '../../renderer/src/lib/format';
import { MONOCHROME_RESIDUAL, looksMonochrome, tintResidual } from '../../renderer/src/lib/grayness';

const EVAL = '/work/shared/data/eval'; // as the other tests, wherever the checkout is
const PHOTOS = ['McMaster/1.png', 'McMaster/10.png', 'CBSD68/101085.png', 'CBSD68/102061.png'].map((p) => path.join(EVAL, p)).filter((p) => existsSync(p));

/** RGBA pixels of a photo at most 256 px long (as the browser measures it), after `look`. */
async function rgba(file: string, look: (s: Sharp) => Sharp = (s) => s): Promise<Uint8Array> {
  const { data } = await look(sharp(file).resize(256, 256, { fit: 'inside' }))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}
type Sharp = ReturnType<typeof sharp>;
type M3 = [[number, number, number], [number, number, number], [number, number, number]];
const GRAY: M3 = [
  [0.299, 0.587, 0.114],
  [0.299, 0.587, 0.114],
  [0.299, 0.587, 0.114],
];
const SEPIA: M3 = [
  [0.393, 0.769, 0.189],
  [0.349, 0.686, 0.168],
  [0.272, 0.534, 0.131],
];

const model = (task: ModelInfo['task']): ModelInfo => ({ id: task, name: task, task, parameters: 1, architecture: 'x', scale: 1, source: 'app', file: '/m.onnx', evaluation: [] });
const ALL = [model('inpaint'), model('detect-damage'), model('denoise'), model('colorize')];

describe.skipIf(PHOTOS.length === 0)('monochrome test on real photos', () => {
  it('tells colour photos from gray and sepia-toned versions of them', async () => {
    for (const file of PHOTOS) {
      const colour = tintResidual(await rgba(file));
      const gray = tintResidual(await rgba(file, (s) => s.recomb(GRAY)));
      const sepia = tintResidual(await rgba(file, (s) => s.recomb(SEPIA)));
      // A toned scan saved as JPEG q80 (chroma subsampled).
      const scanned = await sharp(await sharp(file).resize(256, 256, { fit: 'inside' }).recomb(SEPIA).jpeg({ quality: 80 }).toBuffer()).ensureAlpha().raw().toBuffer();
      const scan = tintResidual(new Uint8Array(scanned));
      console.log(`${path.basename(file)}: residual colour ${colour.toFixed(1)}, gray ${gray.toFixed(2)}, sepia ${sepia.toFixed(2)}, sepia JPEG ${scan.toFixed(2)}`);
      expect(colour).toBeGreaterThan(2 * MONOCHROME_RESIDUAL);
      expect(gray).toBeLessThan(0.5);
      expect(sepia).toBeLessThan(MONOCHROME_RESIDUAL);
      // Chroma fringes of a compressed toned scan: between the two, nearer to the toned print.
      expect(scan).toBeLessThan(colour / 2);
    }
    expect(looksMonochrome(await rgba(PHOTOS[0]!))).toBe(false);
    expect(looksMonochrome(await rgba(PHOTOS[0]!, (s) => s.recomb(SEPIA)))).toBe(true);
  });
});

describe('found damage and the old-photo preset', () => {
  it('turns the detector mask into a layer: marked pixels in the colour, the rest transparent', () => {
    const gray = new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 255, 127, 127, 127, 255, 128, 128, 128, 255]);
    const { rgba: out, marked } = thresholdMask(gray, [255, 77, 79]);
    expect(marked).toBe(2);
    expect(Array.from(out)).toEqual([255, 77, 79, 255, 0, 0, 0, 0, 0, 0, 0, 0, 255, 77, 79, 255]);
  });
  it('shows shares with the precision that matters', () => {
    expect([formatPercent(37.26), formatPercent(2.345), formatPercent(0.04), formatPercent(100)]).toEqual(['37%', '2.3%', '0.04%', '100%']);
  });
  it('repairs with the detector mask when nothing is painted and "find damage" is on', () => {
    const chain = defaultChain();
    const repair = { ...chain, inpaint: { ...chain.inpaint, enabled: true, autoMask: true }, denoise: { ...chain.denoise, enabled: false } };
    expect(chainProblem(repair, ALL, false)).toBeNull();
    expect(chainToSteps(repair, null)).toEqual([{ task: 'inpaint', model: undefined, mask: 'auto' }]);
    // A painted (or found and edited) mask wins over the detector.
    expect(chainToSteps(repair, '/ws/masks/m.png')).toEqual([{ task: 'inpaint', model: undefined, mask: '/ws/masks/m.png' }]);
    expect(chainProblem(repair, ALL.filter((m) => m.task !== 'detect-damage'), false)).toBe('No damage detector model is installed: paint over the damage with the mask brush.');
  });
  it('"Restore old photo": repair (auto or painted), denoise with sigma auto, colourize only monochrome photos', () => {
    const start = { ...defaultChain(), denoise: { ...defaultChain().denoise, sigma: 30 } };
    const gray = oldPhotoChain(start, ALL, { monochrome: true, painted: false });
    expect(gray.notes).toEqual(['Repair scratches (found automatically)', 'Reduce noise (strength estimated)', 'Colourize (black-and-white photo)']);
    expect(chainToSteps(gray.chain, null)).toEqual([
      { task: 'inpaint', model: undefined, mask: 'auto' },
      { task: 'denoise', model: undefined, sigma: 'auto' },
      { task: 'colorize', model: undefined, saturation: 1 },
    ]);
    // With the old-print model installed, the preset reduces grain with it (unless a denoiser was chosen).
    const oldPrint = { ...ALL.find((m) => m.task === 'denoise')!, id: 'old-print', name: 'Old-print restorer' };
    const withOld = oldPhotoChain(start, [...ALL, oldPrint], { monochrome: true, painted: false });
    expect(withOld.notes[1]).toBe('Reduce grain (old-print model)');
    expect(chainToSteps(withOld.chain, null)[1]).toEqual({ task: 'denoise', model: 'old-print', sigma: 'auto' });
    const chosen = oldPhotoChain({ ...start, denoise: { ...start.denoise, model: 'denoise-gray' } }, [...ALL, oldPrint], { monochrome: true, painted: false });
    expect(chainToSteps(chosen.chain, null)[1]).toMatchObject({ model: 'denoise-gray' });
    // A fine-tune of it made the default in its place is what the preset uses; one chosen is kept.
    const mine = { ...oldPrint, id: 'my-prints', name: 'Old-print restorer (my prints)', source: 'user' as const, oldPrint: true, defaultFor: 'old-print' };
    const withMine = oldPhotoChain(start, [...ALL, oldPrint, mine], { monochrome: true, painted: false });
    expect(withMine.notes[1]).toBe('Reduce grain (Old-print restorer (my prints))');
    expect(chainToSteps(withMine.chain, null)[1]).toEqual({ task: 'denoise', model: 'my-prints', sigma: 'auto' });
    // ... also after an earlier click of the preset left the shipped one in the chain (seen in the app).
    const clickedBefore = oldPhotoChain(withOld.chain, [...ALL, oldPrint, mine], { monochrome: true, painted: false });
    expect(chainToSteps(clickedBefore.chain, null)[1]).toEqual({ task: 'denoise', model: 'my-prints', sigma: 'auto' });
    const notDefault = { ...mine, defaultFor: undefined };
    expect(chainToSteps(oldPhotoChain(start, [...ALL, oldPrint, notDefault], { monochrome: true, painted: false }).chain, null)[1]).toMatchObject({ model: 'old-print' });
    const chosenMine = oldPhotoChain({ ...start, denoise: { ...start.denoise, model: 'my-prints' } }, [...ALL, oldPrint, notDefault], { monochrome: true, painted: false });
    expect([chosenMine.notes[1], chainToSteps(chosenMine.chain, null)[1]]).toEqual(['Reduce grain (Old-print restorer (my prints))', { task: 'denoise', model: 'my-prints', sigma: 'auto' }]);
    const colour = oldPhotoChain(start, ALL, { monochrome: false, painted: true });
    expect(colour.notes).toEqual(['Repair scratches (your mask)', 'Reduce noise (strength estimated)', 'Colours kept (colour photo)']);
    expect(chainToSteps(colour.chain, '/ws/m.png').map((s) => s.task)).toEqual(['inpaint', 'denoise']);
    // No detector and nothing painted: Repair stays off (the brush is needed), the rest runs.
    const noDetector = oldPhotoChain(start, ALL.filter((m) => m.task !== 'detect-damage'), { monochrome: true, painted: false });
    expect(noDetector.chain.inpaint.enabled).toBe(false);
    expect(noDetector.notes[0]).toBe('No damage detector: paint the damage, then Restore again');
    expect(chainProblem(noDetector.chain, ALL, false)).toBeNull();
    // Enlarge stays as the user set it.
    const up = oldPhotoChain({ ...start, upscale: { ...start.upscale, enabled: true, scale: 4 } }, ALL, { monochrome: true, painted: false });
    expect(up.chain.upscale).toEqual({ ...start.upscale, enabled: true, scale: 4 });
  });
});
