// End-to-end test of restoring a folder of scratched old scans in the Batch view: Debian's Chromium
// (playwright-core) against `restore serve`. A folder holds two real photos with bright and dark
// scratches and specks drawn over them (sharp, an SVG overlay as test/cli/repair.test.ts): a colour
// McMaster crop and a gray Set12 one. "Restore old photos" switches on Repair (the damage found
// automatically by the trained detect-damage model from models/), grain reduction (old-print when
// installed) and Colourize for black-and-white photos only; Start runs the batch through the engine.
// Both outputs are written and changed where the scratches were (much more than elsewhere), the
// originals are untouched, the gray photo got colour and the colour one kept its own, and the rows
// and the run's summary say damage was found. Screenshots: test-artifacts/batch-old-photos-*.png.
import { createHash } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { testColorizer } from '../../electron/engine/test/models';
import { ARTIFACTS, CHROMIUM, ROOT, openApp, pickFolder, startServe, type ServeFixture } from './serveFixture';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`batch old-photos e2e skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const EVAL = '/work/shared/data/eval'; // where every other test reads the shared data, wherever the checkout is
const SOURCES = { colour: path.join(EVAL, 'McMaster', '1.png'), gray: path.join(EVAL, 'Set12', '01.png') };
const haveSources = Object.values(SOURCES).every((f) => existsSync(f));
if (!haveSources) console.warn('batch old-photos e2e skipped: the shared evaluation photos (McMaster/1.png, Set12/01.png) are missing');

const MANIFEST = (JSON.parse(readFileSync(path.join(ROOT, 'models', 'manifest.json'), 'utf8')) as { models: Array<{ id: string; task: string }> }).models;
const haveDetector = MANIFEST.some((m) => m.task === 'detect-damage');
if (!haveDetector) console.warn('batch old-photos e2e skipped: the trained detect-damage model is not in models/');
const DENOISE_NOTE = MANIFEST.some((m) => m.id === 'old-print') ? 'Reduce grain (old-print model)' : 'Reduce noise (strength estimated)';

const W = 250;
const H = 200;

/** Bright and dark 2 px scratches and specks; as a mask (white on black) when `asMask`. */
function overlay(asMask: boolean): Buffer {
  const lines = [[[10, 20], [120, 60], [240, 90]], [[30, 190], [90, 110], [140, 10]], [[200, 10], [215, 120], [230, 195]]];
  const specks = [[60, 150, 2], [180, 40, 3], [100, 30, 2], [160, 170, 2]];
  const paint = (i: number): string => (asMask ? 'white' : i % 2 === 0 ? '#f8f8f8' : '#101010');
  const body = lines.map((l, i) => `<polyline points="${l.map((p) => p.join(',')).join(' ')}" fill="none" stroke="${paint(i)}" stroke-width="2"/>`).join('')
    + specks.map(([x, y, r], i) => `<circle cx="${x}" cy="${y}" r="${r}" fill="${paint(i)}"/>`).join('');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${asMask ? `<rect width="${W}" height="${H}" fill="black"/>` : ''}${body}</svg>`);
}

const sha = async (file: string): Promise<string> => createHash('sha256').update(await fs.readFile(file)).digest('hex');
const luma = async (file: string): Promise<Uint8Array> => new Uint8Array(await sharp(file).removeAlpha().greyscale().raw().toBuffer());
/** Largest channel spread (max - min of R, G, B) averaged over the photo: about 0 for gray. */
async function meanChroma(file: string): Promise<number> {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  let s = 0;
  for (let p = 0; p < info.width * info.height; p++) s += Math.max(data[p * 3]!, data[p * 3 + 1]!, data[p * 3 + 2]!) - Math.min(data[p * 3]!, data[p * 3 + 1]!, data[p * 3 + 2]!);
  return s / (info.width * info.height);
}

describe.skipIf(!haveChromium || !haveSources || !haveDetector)('Batch: restore a folder of old photos (Chromium)', () => {
  let serve: ServeFixture;
  let browser: Browser;
  let page: Page;
  let inputs: string;
  let outputs: string;
  /** 1 where a scratch or speck was drawn. */
  let scratch: Uint8Array;
  const hashes = new Map<string, string>();
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

  beforeAll(async () => {
    await fs.mkdir(ARTIFACTS, { recursive: true });
    // The shipped detector, inpainter and old-print denoiser from models/ (after the test models:
    // the fixture's small inpainter fills, the test colorizer colourizes).
    serve = await startServe({ batchFiles: 0, models: [testColorizer()], modelDirs: [path.join(ROOT, 'models')] });
    inputs = path.join(serve.dir, 'old-photos');
    outputs = path.join(serve.dir, 'restored');
    await fs.mkdir(inputs);
    await fs.mkdir(outputs);
    const colourClean = await sharp(SOURCES.colour).extract({ left: 100, top: 100, width: W, height: H }).png().toBuffer();
    await sharp(colourClean).composite([{ input: overlay(false) }]).removeAlpha().png().toFile(path.join(inputs, 'colour.png'));
    const grayClean = await sharp(SOURCES.gray).extract({ left: 0, top: 30, width: W, height: H }).greyscale().png().toBuffer();
    await sharp(grayClean).composite([{ input: overlay(false) }]).greyscale().toColourspace('b-w').png().toFile(path.join(inputs, 'gray.png'));
    scratch = new Uint8Array(await sharp(overlay(true)).greyscale().raw().toBuffer()).map((v) => (v > 127 ? 1 : 0));
    for (const n of ['colour.png', 'gray.png']) hashes.set(n, await sha(path.join(inputs, n)));
    ({ browser, page } = await openApp(serve.url));
    await page.setViewportSize({ width: 1280, height: 960 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
  });

  it('"Restore old photos" repairs the damage it finds in every file, colourizes only the gray one, and says what it did', async () => {
    await page.getByRole('button', { name: 'Batch', exact: true }).click();
    // Repair is offered, automatic.
    const repairCard = page.locator('[data-testid=step-inpaint]:visible');
    await expect.poll(() => repairCard.textContent()).toContain('Find and fill damage automatically');
    await pickFolder(page, 'Add folder…', serve.dir, 'old-photos');
    await pickFolder(page, 'Choose…', serve.dir, 'restored');
    await page.getByRole('button', { name: 'Restore old photos' }).click();
    await expect.poll(() => page.getByTestId('preset-notes').textContent()).toBe(`Repair scratches (found automatically) · ${DENOISE_NOTE} · Colourize black-and-white photos only`);
    expect(await page.getByRole('switch', { name: 'Repair scratches step' }).isChecked()).toBe(true);
    expect(await page.getByRole('switch', { name: 'Colourize step' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: /^Only black-and-white photos/ }).isChecked()).toBe(true);
    await page.mouse.move(0, 0);
    await page.waitForTimeout(800); // the button's ripple fades
    await shot('batch-old-photos-preset');

    await page.getByRole('button', { name: 'Start batch' }).click();
    await expect.poll(() => page.getByTestId('batch-status').textContent(), { timeout: 240_000 }).toBe('Finished 2 files');
    expect(await page.getByTestId('batch-done').textContent()).toBe('2 done');
    const row = (name: string) => page.locator('[data-testid=batch-results] [data-status=done]').filter({ hasText: name });
    const colourRow = (await row('colour.png').textContent())!;
    const grayRow = (await row('gray.png').textContent())!;
    console.log(`rows: ${colourRow} | ${grayRow}`);
    expect(colourRow).toMatch(/Damage found: [\d.]+% of the photo, filled · Not colourized: colour photo · /);
    expect(grayRow).toMatch(/Damage found: [\d.]+% of the photo, filled · /);
    expect(grayRow).not.toContain('Not colourized');
    expect(await page.getByTestId('batch-outcomes').textContent()).toBe('Repair: damage found and filled in 2 files · Colourize: 1 colour photo kept its colours');
    // The picture for renderer/docs: the run's rows beside the chain the preset set, Colourize's card in view.
    await page.locator('[data-testid=step-colorize]:visible').scrollIntoViewIfNeeded();
    await page.waitForTimeout(800); // the progress bar's transition ends
    await shot('batch-old-photos-finished');

    for (const name of ['colour.png', 'gray.png']) {
      const input = path.join(inputs, name);
      const output = path.join(outputs, name);
      expect(existsSync(output), `${name} was written`).toBe(true);
      expect(await sha(input), `${name} is unchanged`).toBe(hashes.get(name));
      const [before, after] = await Promise.all([luma(input), luma(output)]);
      expect(after.length).toBe(W * H);
      // Changed where the scratches were, far more than elsewhere (denoise changes the rest a little).
      let onScratch = 0, scratchPixels = 0, offScratch = 0, otherPixels = 0, changedOnScratch = 0;
      for (let p = 0; p < W * H; p++) {
        const d = Math.abs(after[p]! - before[p]!);
        if (scratch[p]) {
          scratchPixels++;
          onScratch += d;
          if (d > 20) changedOnScratch++;
        } else {
          otherPixels++;
          offScratch += d;
        }
      }
      const [meanOn, meanOff] = [onScratch / scratchPixels, offScratch / otherPixels];
      console.log(`${name}: mean change ${meanOn.toFixed(1)} on the scratches, ${meanOff.toFixed(1)} elsewhere; ${((100 * changedOnScratch) / scratchPixels).toFixed(0)}% of scratch pixels changed by > 20`);
      expect(changedOnScratch / scratchPixels).toBeGreaterThan(0.3);
      expect(meanOn).toBeGreaterThan(4 * meanOff);
    }
    // The gray photo got colour; the colour one kept its own (Colourize passed it through).
    expect(await meanChroma(path.join(outputs, 'gray.png'))).toBeGreaterThan(3);
    const [colourIn, colourOut] = await Promise.all([meanChroma(path.join(inputs, 'colour.png')), meanChroma(path.join(outputs, 'colour.png'))]);
    expect(Math.abs(colourOut - colourIn)).toBeLessThan(0.1 * colourIn);
  }, 400_000);
});
