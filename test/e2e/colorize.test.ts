// End-to-end test of guided colourization in the real UI: Debian's Chromium (playwright-core)
// against `restore serve` with the tiny test colorizer (it takes colour points). Opens a gray
// photo, colourizes it, places two colour points of different colours by clicking the photo
// (the first after trying the "Colours here" swatch the automatic result offers under it, and again
// after a reload, when only a guided preview is shown; a point whose preview a reload cut off is
// previewed after it; plus a
// drag undone with Ctrl+Z and a point removed with Delete), waits for the 768 px preview
// and checks its pixels: the colour moved towards each point's colour near it, and far away (no
// lightness edge on this photo stops it) towards one of the points' colours. Export first redoes the chain at full resolution: the file written
// is a colour image of the photo's full size with the same colours at the points; saturation 0
// previews gray again; side by side, a point clicked on the "after" pane lands on the same pixel.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { hexToAb } from '../../electron/engine/color/hints';
import { srgbToLab } from '../../electron/engine/color/lab';
import { testColorizer } from '../../electron/engine/test/models';
import { ARTIFACTS, CHROMIUM, startServe, type ServeFixture, openApp, openFromPicker } from './serveFixture';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`colorize e2e skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const W = 1600;
const H = 1200;
const PREVIEW_W = 768;
const PREVIEW_H = 576;
const PREVIEW_LABEL = 'Preview (768 px) — Restore for full resolution';
/** Where the points go (original pixels) and places far from both. */
const RED_AT = { x: 400, y: 300 };
const BLUE_AT = { x: 1200, y: 900 };
const FAR = [
  { x: 1500, y: 120 },
  { x: 120, y: 1100 },
];
const BRICK_RED = '#a23b2a';
const BLUE = '#2040ff';

interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}
async function pixels(file: string, size?: { width: number; height: number }): Promise<Pixels> {
  const img = sharp(file).removeAlpha().toColourspace('srgb');
  const { data, info } = await (size ? img.resize(size.width, size.height, { fit: 'fill' }) : img).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}
/** Mean R, G, B over a (2r+1)² window around an original-pixel position (scaled to the image). */
function meanAt(p: Pixels, at: { x: number; y: number }, r = 4): [number, number, number] {
  const cx = Math.round(((at.x + 0.5) * p.width) / W - 0.5);
  const cy = Math.round(((at.y + 0.5) * p.height) / H - 0.5);
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = cy - r; y <= cy + r; y++) {
    for (let x = cx - r; x <= cx + r; x++) {
      const o = (y * p.width + x) * p.channels;
      for (let c = 0; c < 3; c++) sum[c]! += p.data[o + c]!;
      n++;
    }
  }
  return sum.map((v) => v / n) as [number, number, number];
}
type Ab = [number, number];
/** Lab chroma (a, b) of the mean colour around a point. */
function abAt(p: Pixels, at: { x: number; y: number }, r = 4): Ab {
  const [R, G, B] = meanAt(p, at, r);
  const lab = [0, 0, 0];
  srgbToLab(R / 255, G / 255, B / 255, lab);
  return [lab[1]!, lab[2]!];
}
const hint = (hex: string): Ab => {
  const { a, b } = hexToAb(hex);
  return [a, b];
};
const dist = (u: Ab, v: Ab): number => Math.hypot(u[0] - v[0], u[1] - v[1]);
/**
 * Near a point of colour `hex` the colour moved towards that colour's chroma (and away from the
 * automatic result); it is nearer to its own point's colour than to the `other` point's.
 */
function expectGuided(result: Pixels, automatic: Pixels, at: { x: number; y: number }, hex: string, other: string, r = 4): void {
  const [got, auto] = [abAt(result, at, r), abAt(automatic, at, r)];
  expect(dist(got, auto)).toBeGreaterThan(20);
  expect(dist(got, hint(hex))).toBeLessThan(dist(auto, hint(hex)) - 15);
  expect(dist(got, hint(hex))).toBeLessThan(dist(got, hint(other)));
}
/** Far from the points: the automatic colours, within resampling differences. */
function expectUnchanged(a: Pixels, b: Pixels, at: { x: number; y: number }, rgbTolerance: number, rb = 4): void {
  expect(dist(abAt(a, at), abAt(b, at, rb))).toBeLessThan(3);
  const [u, v] = [meanAt(a, at), meanAt(b, at, rb)];
  for (let c = 0; c < 3; c++) expect(Math.abs(u[c]! - v[c]!)).toBeLessThan(rgbTolerance);
}

describe.skipIf(!haveChromium)('colour points end to end (Chromium)', () => {
  let serve: ServeFixture;
  let browser: Browser;
  let page: Page;
  let gray: string;
  /** The first test's automatic (pointless) full-resolution result. */
  let firstAutomatic: string;
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  const settingsPanel = () => page.getByRole('complementary', { name: 'Restoration settings' });
  const pointsPanel = () => page.getByTestId('color-points-panel');
  const colorPoints = () => page.getByTestId('color-point');
  /** Screen position of an original pixel's centre, from the "before" image's on-screen box. */
  const screenOf = async (at: { x: number; y: number }): Promise<{ x: number; y: number }> => {
    const box = (await page.locator('img[alt="Before"]').boundingBox())!;
    return { x: box.x + ((at.x + 0.5) / W) * box.width, y: box.y + ((at.y + 0.5) / H) * box.height };
  };
  const clickPixel = async (at: { x: number; y: number }): Promise<void> => {
    const s = await screenOf(at);
    await page.mouse.click(s.x, s.y);
  };
  const afterPath = async (): Promise<string> => {
    const src = (await page.locator('img[alt="After"]').getAttribute('src'))!;
    return new URL(src, serve.url).searchParams.get('path')!;
  };

  beforeAll(async () => {
    await fs.mkdir(ARTIFACTS, { recursive: true });
    serve = await startServe({ batchFiles: 0, models: [testColorizer()] });
    // An old black-and-white print: one gray channel with some structure (a gradient and bands).
    gray = path.join(serve.dir, 'photos', 'old-gray.png');
    const data = Buffer.alloc(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[y * W + x] = Math.round(70 + (110 * x) / W + 30 * Math.sin(y / 45));
    await sharp(data, { raw: { width: W, height: H, channels: 1 } }).png().toFile(gray);
    ({ browser, page } = await openApp(serve.url));
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
  });

  it('colourizes a gray photo guided by two colour points, previews at 768 px and exports at full size', async () => {
    // Open the gray photo through the in-app file browser.
    await page.getByRole('button', { name: 'Open photo…' }).click();
    const picker = page.getByRole('dialog', { name: 'Open an image' });
    await picker.getByText(serve.dir, { exact: true }).click();
    await picker.getByText('photos', { exact: true }).click();
    await picker.getByText('old-gray.png', { exact: true }).click();
    await picker.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('image-info').textContent()).toMatch(/^1600 × 1200 · PNG/);

    // Colourize only (no denoise), automatic first: the baseline to compare the points against.
    await page.getByRole('switch', { name: 'Reduce noise step' }).uncheck();
    await page.getByRole('switch', { name: 'Colourize step' }).check();
    await expect.poll(() => settingsPanel().getByRole('slider', { name: 'Saturation' }).getAttribute('aria-valuenow')).toBe('1');
    await expect.poll(() => pointsPanel().getByTestId('color-point-count').textContent()).toBe('0 points');
    await settingsPanel().getByRole('button', { name: 'Restore', exact: true }).click();
    await expect.poll(() => page.getByTestId('result-info').textContent(), { timeout: 60_000 }).toMatch(/^Result 1600 × 1200 · test-colorize · /);
    const automaticFile = await afterPath();
    firstAutomatic = automaticFile;
    const automatic = await pixels(automaticFile, { width: PREVIEW_W, height: PREVIEW_H });

    // The points tool (P); a point takes the picker's colour and is selected, so the picker then recolours it.
    await page.keyboard.press('p');
    await expect.poll(() => page.getByRole('button', { name: 'Colour points' }).getAttribute('aria-pressed')).toBe('true');
    await clickPixel(RED_AT);
    await expect.poll(() => colorPoints().count()).toBe(1);
    // The new point is selected: "Colours here" offers the automatic result's colour under it (and,
    // where sRGB has room, the same hue livelier: electron/api/colorSuggestions.test.ts; this test
    // colorizer's cyan there has none); picking it recolours the point.
    const here = pointsPanel().getByRole('group', { name: 'Colours here' });
    const asColourized = here.getByRole('button', { name: 'As colourized here' });
    await asColourized.waitFor();
    const autoHere = meanAt(await pixels(automaticFile), RED_AT, 2);
    const offered = (await asColourized.getAttribute('title'))!.split(' ').pop()!;
    [1, 3, 5].forEach((i, c) => expect(Math.abs(parseInt(offered.slice(i, i + 2), 16) - autoHere[c]!)).toBeLessThanOrEqual(2));
    expect(await colorPoints().first().getAttribute('data-color')).not.toBe(offered);
    await asColourized.click();
    await expect.poll(() => colorPoints().first().getAttribute('data-color')).toBe(offered);
    await shot('colorize-colours-here');
    await pointsPanel().getByRole('button', { name: 'Brick red' }).click();
    await clickPixel(BLUE_AT);
    await expect.poll(() => colorPoints().count()).toBe(2);
    await pointsPanel().getByLabel('Selected point colour').fill(BLUE);
    const placed = async () => colorPoints().evaluateAll((els) => els.map((e) => [e.getAttribute('data-x'), e.getAttribute('data-y'), e.getAttribute('data-color')].join(' ')));
    await expect.poll(placed).toEqual([`${RED_AT.x} ${RED_AT.y} ${BRICK_RED}`, `${BLUE_AT.x} ${BLUE_AT.y} ${BLUE}`]);
    expect(await colorPoints().nth(1).getAttribute('data-selected')).toBe('true');
    await shot('colorize-point-selected');

    // Drag the blue point away and undo the move; add a third point and delete it.
    const blue = await screenOf(BLUE_AT);
    await page.mouse.move(blue.x, blue.y);
    await page.mouse.down();
    await page.mouse.move(blue.x + 60, blue.y - 40, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => (await placed())[1]).not.toBe(`${BLUE_AT.x} ${BLUE_AT.y} ${BLUE}`);
    await page.keyboard.press('Control+z');
    await expect.poll(placed).toEqual([`${RED_AT.x} ${RED_AT.y} ${BRICK_RED}`, `${BLUE_AT.x} ${BLUE_AT.y} ${BLUE}`]);
    await clickPixel({ x: 1000, y: 250 });
    await expect.poll(() => colorPoints().count()).toBe(3);
    await page.keyboard.press('Delete');
    await expect.poll(() => pointsPanel().getByTestId('color-point-count').textContent()).toBe('2 points');

    // The preview follows the edits: 768 px, marked as such, made with both points.
    await expect.poll(() => page.getByTestId('preview-info').textContent(), { timeout: 60_000 }).toBe(PREVIEW_LABEL);
    expect(await page.getByTestId('result-info').textContent()).toMatch(/^Result 768 × 576 · test-colorize \(2 points\) · /);
    await expect.poll(() => page.evaluate(`(() => { const i = document.querySelector('img[alt="After"]'); return i && i.complete ? i.naturalWidth : 0; })()`)).toBe(PREVIEW_W);
    const preview = await pixels(await afterPath());
    expect([preview.width, preview.height]).toEqual([PREVIEW_W, PREVIEW_H]);
    console.log('colour points, ab (automatic -> preview):', JSON.stringify([RED_AT, BLUE_AT, ...FAR].map((at) => [abAt(automatic, at), abAt(preview, at)].map((ab) => ab.map(Math.round)))));
    expectGuided(preview, automatic, RED_AT, BRICK_RED, BLUE);
    expectGuided(preview, automatic, BLUE_AT, BLUE, BRICK_RED);
    // Far from both points the photo has no lightness edge to stop a point's colour (gray bands), so the
    // points' colours spread there (electron/engine/color/propagate.ts): not the automatic colours any
    // more, but still the points' own, and the export must show what the preview showed (below).
    const nearestPoint = (p: Pixels, at: { x: number; y: number }): number => Math.min(dist(abAt(p, at), hint(BRICK_RED)), dist(abAt(p, at), hint(BLUE)));
    for (const f of FAR) expect(nearestPoint(preview, f)).toBeLessThan(nearestPoint(automatic, f));
    // Split at 15% so that the shot shows both points over the preview.
    await page.getByTestId('compare-handle').focus();
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('compare-handle').getAttribute('aria-valuenow')).toBe('15');
    await shot('colorize-points');

    // Export: the full-resolution restore with the same steps first, then the dialog.
    await settingsPanel().getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export restored image' });
    await dialog.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('result-info').textContent()).toMatch(/^Result 1600 × 1200 · test-colorize \(2 points\) · /);
    expect(await page.getByTestId('preview-info').count()).toBe(0);
    await shot('colorize-export');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const out = path.join(serve.dir, 'photos', 'old-gray-restored.png');
    await page.getByText(`Saved ${out}`).waitFor({ timeout: 30_000 });
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height, meta.channels, meta.space]).toEqual([W, H, 3, 'srgb']);
    const full = await pixels(out);
    // The colours the preview showed, at full resolution (r = 8: the same area as r = 4 at 768 px).
    const automaticFull = await pixels(automaticFile);
    expectGuided(full, automaticFull, RED_AT, BRICK_RED, BLUE, 8);
    expectGuided(full, automaticFull, BLUE_AT, BLUE, BRICK_RED, 8);
    for (const at of [RED_AT, BLUE_AT, ...FAR]) expectUnchanged(preview, full, at, 12, 8);

    // Saturation 0 (the slider's Home key): a new preview, gray again with the points still there.
    const saturation = settingsPanel().getByRole('slider', { name: 'Saturation' });
    await saturation.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => saturation.getAttribute('aria-valuenow')).toBe('0');
    await expect.poll(() => page.getByTestId('preview-info').textContent(), { timeout: 60_000 }).toBe(PREVIEW_LABEL);
    const grayPreview = await pixels(await afterPath());
    for (const at of [RED_AT, BLUE_AT, ...FAR]) expect(dist(abAt(grayPreview, at), [0, 0])).toBeLessThan(1.5);
    expect(await colorPoints().count()).toBe(2);

    // Side by side, a point goes where the user sees the colours too: a click on the "after" pane
    // adds it at the same photo pixel, and both panes show every point.
    await page.getByRole('button', { name: 'Side by side' }).click();
    await expect.poll(() => colorPoints().count()).toBe(4);
    const afterBox = (await page.locator('img[alt="After"]').boundingBox())!;
    const at = { x: 800, y: 200 };
    await page.mouse.click(afterBox.x + ((at.x + 0.5) / W) * afterBox.width, afterBox.y + ((at.y + 0.5) / H) * afterBox.height);
    await expect.poll(() => pointsPanel().getByTestId('color-point-count').textContent()).toBe('3 points');
    const third = page.locator(`[data-testid="color-point"][data-x="${at.x}"][data-y="${at.y}"]`);
    await expect.poll(() => third.count()).toBe(2);
    await page.keyboard.press('Delete');
    await expect.poll(() => pointsPanel().getByTestId('color-point-count').textContent()).toBe('2 points');
    await page.getByRole('button', { name: 'Slider' }).click();
    await expect.poll(() => colorPoints().count()).toBe(2);
  });

  it('after a reload with points, offers the automatic colours under a selected point (from an automatic preview of its own)', async () => {
    // Saturation back to 1 (0.05 a key), saved with the session; the shown result is then a preview with points.
    const saturation = settingsPanel().getByRole('slider', { name: 'Saturation' });
    await saturation.focus();
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => saturation.getAttribute('aria-valuenow')).toBe('1');
    const session = path.join(serve.dataHome, 'restore-studio', 'session', 'session.json');
    const savedSaturation = async (): Promise<number | null> =>
      JSON.parse(await fs.readFile(session, 'utf8').catch(() => 'null'))?.restore?.chain?.colorize?.saturation ?? null;
    await expect.poll(savedSaturation).toBe(1);
    await expect.poll(() => page.getByTestId('preview-info').textContent(), { timeout: 60_000 }).toBe(PREVIEW_LABEL);
    const guidedFile = await afterPath();
    await page.reload();
    await expect.poll(() => pointsPanel().getByTestId('color-point-count').textContent(), { timeout: 30_000 }).toBe('2 points');
    expect(await page.getByTestId('result-info').textContent()).toMatch(/\(2 points\)/);
    await page.keyboard.press('p');
    await expect.poll(() => page.getByRole('button', { name: 'Colour points' }).getAttribute('aria-pressed')).toBe('true');
    await clickPixel(RED_AT); // on the brick-red point: selects it
    await expect.poll(() => colorPoints().first().getAttribute('data-selected')).toBe('true');
    expect(await colorPoints().count()).toBe(2);
    const asColourized = pointsPanel().getByRole('group', { name: 'Colours here' }).getByRole('button', { name: 'As colourized here' });
    await asColourized.waitFor({ timeout: 60_000 });
    // The automatic colour under the point (as the first test's automatic result has it), not the guided one shown.
    const offered = (await asColourized.getAttribute('title'))!.split(' ').pop()!;
    const offeredAb = hint(offered);
    const [automaticAb, guidedAb] = [abAt(await pixels(firstAutomatic), RED_AT, 2), abAt(await pixels(guidedFile), RED_AT, 1)];
    expect(dist(offeredAb, automaticAb)).toBeLessThan(3);
    expect(dist(offeredAb, guidedAb)).toBeGreaterThan(20);
    // The result shown is still the guided preview.
    expect(await page.getByTestId('result-info').textContent()).toMatch(/\(2 points\)/);
    await shot('colorize-colours-here-after-reload');
    // Another saturation: the swatch follows it (an automatic preview at the new setting), here half the chroma.
    await saturation.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => saturation.getAttribute('aria-valuenow')).toBe('0.5');
    await expect.poll(async () => (await asColourized.getAttribute('title').catch(() => null))?.split(' ').pop(), { timeout: 60_000 }).not.toBe(offered);
    const halved = hint((await asColourized.getAttribute('title'))!.split(' ').pop()!);
    console.log(`colours here at saturation 1 / 0.5: ab ${offeredAb.map((v) => v.toFixed(1))} / ${halved.map((v) => v.toFixed(1))}`);
    expect(Math.hypot(...halved)).toBeLessThan(0.7 * Math.hypot(...offeredAb));
    expect(dist(halved, [offeredAb[0] / 2, offeredAb[1] / 2])).toBeLessThan(4);
  });

  it('says "Updating preview…" while newer edits wait, even when an older preview arrives meanwhile', async () => {
    // Preview answers are held back here, so that one made for 3 points can be let through while the
    // 4th point's preview still waits out its delay: the shown result is then not the latest edits',
    // so it must not be labelled as the preview (an export then redoes the latest edits, not it).
    await expect.poll(() => page.getByTestId('preview-info').textContent(), { timeout: 60_000 }).toBe(PREVIEW_LABEL);
    const held: Array<() => void> = [];
    await page.route('**/api/call/restore', async (route) => {
      if (!(route.request().postData() ?? '').includes('"preview"')) return route.continue();
      const response = await route.fetch();
      await new Promise<void>((release) => held.push(release));
      await route.fulfill({ response }).catch(() => undefined); // the page may have dropped it (a failed run's release in finally)
    });
    try {
      const count = () => pointsPanel().getByTestId('color-point-count').textContent();
      await clickPixel({ x: 1000, y: 250 });
      await expect.poll(count).toBe('3 points');
      await expect.poll(() => held.length, { timeout: 60_000 }).toBe(1);
      await clickPixel({ x: 300, y: 1000 });
      await expect.poll(count).toBe('4 points');
      held.shift()!();
      const seen: string[] = [];
      for (const end = Date.now() + 1200; Date.now() < end; ) {
        seen.push(`${await page.getByTestId('preview-info').textContent()} | ${await page.getByTestId('result-info').textContent()}`);
        await page.waitForTimeout(15);
      }
      expect(seen.filter((s) => s.startsWith(PREVIEW_LABEL) && !s.includes('(4 points)'))).toEqual([]);
      await expect.poll(() => held.length, { timeout: 60_000 }).toBe(1);
      held.shift()!();
      await expect.poll(() => page.getByTestId('preview-info').textContent(), { timeout: 60_000 }).toBe(PREVIEW_LABEL);
      expect(await page.getByTestId('result-info').textContent()).toMatch(/\(4 points\)/);
    } finally {
      for (const release of held) release();
      await page.unroute('**/api/call/restore');
    }
  });

  it('previews after a reload a point placed just before it, whose preview never came', async () => {
    // The point's preview is held back and the page reloaded: the saved result shows 4 points, the
    // saved session 5; the reloaded page previews the 5 points instead of leaving the 4-point result.
    const session = path.join(serve.dataHome, 'restore-studio', 'session', 'session.json');
    const savedPoints = async (): Promise<number> => JSON.parse(await fs.readFile(session, 'utf8').catch(() => 'null'))?.restore?.points?.length ?? 0;
    const held: Array<() => void> = [];
    await page.route('**/api/call/restore', async (route) => {
      if (!(route.request().postData() ?? '').includes('"preview"')) return route.continue();
      await new Promise<void>((release) => held.push(release));
      await route.abort().catch(() => undefined); // released by the finally below: the unroute or reload may have settled it first
    });
    try {
      await clickPixel({ x: 700, y: 600 });
      await expect.poll(() => pointsPanel().getByTestId('color-point-count').textContent()).toBe('5 points');
      await expect.poll(savedPoints).toBe(5);
      await expect.poll(() => held.length, { timeout: 60_000 }).toBe(1);
      expect(await page.getByTestId('result-info').textContent()).toMatch(/\(4 points\)/);
    } finally {
      for (const release of held) release();
      await page.unroute('**/api/call/restore');
    }
    await page.reload();
    await expect.poll(() => pointsPanel().getByTestId('color-point-count').textContent(), { timeout: 30_000 }).toBe('5 points');
    await expect.poll(() => page.getByTestId('result-info').textContent(), { timeout: 60_000 }).toMatch(/\(5 points\)/);
    await shot('colorize-point-previewed-after-reload');
  });

  it('forgets the points when another photo is opened', async () => {
    await openFromPicker(page, serve.dir, 'photos', 'lenna.png');
    await expect.poll(() => page.getByTestId('image-info').textContent()).toMatch(/^512 × 512 · PNG/);
    await expect.poll(() => pointsPanel().getByTestId('color-point-count').textContent()).toBe('0 points');
    expect(await colorPoints().count()).toBe(0);
    expect(await page.getByTestId('result-info').count()).toBe(0);
  });
});
