// The 1:1 preview of the visible area (issue 16, "beyond the peers"), in the real UI in Chromium
// against `restore serve` with the seeded test denoiser: after a full Restore, zoomed to 1:1 on a
// 1600 x 1200 photo, moving the strength slider restores just the visible part; it appears at its
// place over the "after" side, labelled, equal to the same window of a whole-photo Restore at that
// strength; panning keeps it; a newer edit cancels the run in flight; a full Restore replaces it;
// with a newer region preview on screen, Export restores the whole photo first and writes all of
// it. Without a result it sits over the original; with Colourize in the chain there is none, and a
// line says why. Screenshots in test-artifacts/.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { testColorizer } from '../../electron/engine/test/models';
import { ARTIFACTS, CHROMIUM, openApp, startServe, type ServeFixture } from './serveFixture';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`region preview e2e skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const W = 1600;
const H = 1200;

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
async function rgb(file: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
/** Largest channel difference between a region's picture and that window of a whole-photo result. */
async function windowDiff(whole: string, part: string, r: Rect): Promise<number> {
  const [a, b] = await Promise.all([rgb(whole), rgb(part)]);
  expect([b.width, b.height]).toEqual([r.width, r.height]);
  let worst = 0;
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(a.data[((r.y + y) * a.width + r.x + x) * 3 + c]! - b.data[(y * r.width + x) * 3 + c]!));
    }
  }
  return worst;
}

describe.skipIf(!haveChromium)('1:1 preview of the visible area (Chromium)', () => {
  let serve: ServeFixture;
  let browser: Browser;
  let page: Page;
  let photo: string;
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  const settingsPanel = () => page.getByRole('complementary', { name: 'Restoration settings' });
  const denoiseCard = () => settingsPanel().getByTestId('step-denoise');
  const strength = () => denoiseCard().getByRole('slider');
  const regionPreview = () => page.getByTestId('region-preview');
  const fileOf = (src: string): string => new URL(src, serve.url).searchParams.get('path')!;
  const afterFile = async (): Promise<string> => fileOf((await page.locator('img[alt="After"]').first().getAttribute('src'))!);
  const regionFile = async (): Promise<string> => fileOf((await page.locator('img[alt="Preview of the visible area"]').getAttribute('src'))!);
  const shownRegion = async (): Promise<Rect> => {
    const [x, y, width, height] = (await regionPreview().getAttribute('data-region'))!.split(',').map(Number);
    return { x: x!, y: y!, width: width!, height: height! };
  };
  /** The photo pixels the viewer shows, from its zoom and pan and its size on screen. */
  const visible = (): Promise<Rect> => visibleOf(W, H);
  const visibleOf = async (pw: number, ph: number): Promise<Rect> => {
    const viewer = page.getByTestId('viewer');
    const scale = Number(await viewer.getAttribute('data-scale'));
    const [px, py] = (await viewer.getAttribute('data-pan'))!.split(',').map(Number);
    const box = (await viewer.boundingBox())!;
    const x0 = Math.max(0, Math.floor(-px! / scale));
    const y0 = Math.max(0, Math.floor(-py! / scale));
    const x1 = Math.min(pw, Math.ceil((box.width - px!) / scale));
    const y1 = Math.min(ph, Math.ceil((box.height - py!) / scale));
    return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  };

  beforeAll(async () => {
    await fs.mkdir(ARTIFACTS, { recursive: true });
    serve = await startServe({ batchFiles: 1, models: [testColorizer()] });
    // A noisy photo with detail everywhere: bands, a gradient and seeded grain.
    photo = path.join(serve.dir, 'photos', 'street.png');
    const data = Buffer.alloc(W * H * 3);
    let s = 11;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        for (let c = 0; c < 3; c++) {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          const v = 60 + (120 * x) / W + 40 * Math.sin((y + 37 * c) / 23) * Math.cos(x / 71) + ((s >>> 24) - 128) / 5;
          data[(y * W + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
    await sharp(data, { raw: { width: W, height: H, channels: 3 } }).png().toFile(photo);
    ({ browser, page } = await openApp(serve.url));
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await serve?.close();
  });

  it('zoomed in, a strength change shows the visible part restored at 1:1 in place; a full Restore replaces it; Export writes the whole photo', async () => {
    await page.getByRole('button', { name: 'Open photo…' }).click();
    const picker = page.getByRole('dialog', { name: 'Open an image' });
    await picker.getByText(serve.dir, { exact: true }).click();
    await picker.getByText('photos', { exact: true }).click();
    await picker.getByText('street.png', { exact: true }).click();
    await picker.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('image-info').textContent()).toMatch(/^1600 × 1200 · PNG/);

    // A first whole-photo result at a manual strength.
    await denoiseCard().getByRole('checkbox', { name: 'Auto' }).uncheck();
    await strength().focus();
    await page.keyboard.press('End'); // 75
    for (let i = 0; i < 45; i++) await page.keyboard.press('ArrowLeft'); // 30
    await expect.poll(() => strength().getAttribute('aria-valuenow')).toBe('30');
    // Fitted (the whole photo visible): a change runs no region preview.
    expect(await regionPreview().count()).toBe(0);
    await settingsPanel().getByRole('button', { name: 'Restore', exact: true }).click();
    await expect.poll(() => page.getByTestId('result-info').textContent(), { timeout: 60_000 }).toMatch(/^Result 1600 × 1200 · /);
    const first = await afterFile();

    // 1:1, then off centre: a part of the photo fills the view.
    await page.keyboard.press('1');
    await expect.poll(() => page.getByTestId('viewer').getAttribute('data-scale')).toBe('1.0000');
    const viewerBox = (await page.getByTestId('viewer').boundingBox())!;
    await page.mouse.move(viewerBox.x + 300, viewerBox.y + 300);
    await page.mouse.down();
    await page.mouse.move(viewerBox.x + 420, viewerBox.y + 380, { steps: 4 });
    await page.mouse.up();
    const seen = await visible();
    expect(seen.width * seen.height).toBeLessThan(0.6 * W * H);

    // A burst of strength changes: one region preview, of the last value, at the visible area.
    await strength().focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight'); // 40
    await expect.poll(() => strength().getAttribute('aria-valuenow')).toBe('40');
    await regionPreview().waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('region-info').textContent(), { timeout: 60_000 }).toBe('Preview 1:1 of the visible area — Restore runs the whole photo');
    const region = await shownRegion();
    expect(region).toEqual(seen);
    expect(await page.getByTestId('region-preview-label').textContent()).toBe('PREVIEW 1:1');
    expect(await page.getByText('AFTER + PREVIEW 1:1 (OUTLINED)', { exact: true }).count()).toBe(1); // the pane's badge: the earlier result around it
    // On screen exactly over those photo pixels (the viewer is at 1:1).
    const pan = (await page.getByTestId('viewer').getAttribute('data-pan'))!.split(',').map(Number);
    const imgBox = (await page.locator('img[alt="Preview of the visible area"]').boundingBox())!;
    expect(Math.abs(imgBox.x - (viewerBox.x + pan[0]! + region.x))).toBeLessThan(1.5);
    expect(Math.abs(imgBox.y - (viewerBox.y + pan[1]! + region.y))).toBeLessThan(1.5);
    expect(Math.abs(imgBox.width - region.width)).toBeLessThan(1.5);
    // The earlier whole-photo result is still the rest of the "after" side.
    expect(await afterFile()).toBe(first);
    const partAt40 = await regionFile();
    await shot('region-preview');

    // Panning keeps it where it belongs.
    await page.mouse.move(viewerBox.x + 500, viewerBox.y + 400);
    await page.mouse.down();
    await page.mouse.move(viewerBox.x + 440, viewerBox.y + 350, { steps: 3 });
    await page.mouse.up();
    expect(await shownRegion()).toEqual(region);
    const moved = (await page.locator('img[alt="Preview of the visible area"]').boundingBox())!;
    expect(Math.abs(moved.x - (imgBox.x - 60))).toBeLessThan(1.5);
    await shot('region-preview-panned');

    // A full Restore replaces it, and the part it showed is that window of the whole photo.
    await settingsPanel().getByRole('button', { name: 'Restore', exact: true }).click();
    await expect.poll(async () => (await afterFile()) !== first, { timeout: 60_000 }).toBe(true);
    await expect.poll(() => regionPreview().count()).toBe(0);
    expect(await page.getByTestId('region-info').count()).toBe(0);
    expect(await windowDiff(await afterFile(), partAt40, region)).toBeLessThanOrEqual(1);
    const full40 = await afterFile();

    // Another change, and a newer one while its region preview runs: that run is cancelled.
    const callOf = (name: string) => (r: import('playwright-core').Request) => r.method() === 'POST' && r.url().includes(`/api/call/${name}`);
    await strength().focus();
    const started = page.waitForRequest((r) => callOf('restore')(r) && (r.postData() ?? '').includes('"region"'), { timeout: 30_000 });
    await page.keyboard.press('ArrowLeft'); // 39
    const firstJob = (JSON.parse((await started).postData()!) as { jobId: string }).jobId;
    const cancelled = page.waitForRequest((r) => callOf('cancel')(r) && (r.postData() ?? '').includes(firstJob), { timeout: 30_000 });
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft'); // 35
    await cancelled;
    await regionPreview().waitFor({ timeout: 60_000 });
    await expect.poll(async () => path.basename(await regionFile()), { timeout: 60_000 }).not.toBe(`${firstJob}.png`);
    await expect.poll(() => page.getByTestId('region-info').textContent(), { timeout: 60_000 }).toMatch(/^Preview 1:1/);
    // Export restores the whole photo at that strength first.
    const partAt35 = await regionFile();
    const region35 = await shownRegion();
    expect(region35).toEqual(await visible()); // the view was panned since the first one
    await settingsPanel().getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export restored image' });
    await dialog.waitFor({ timeout: 60_000 });
    expect(await regionPreview().count()).toBe(0);
    const full35 = await afterFile();
    expect(full35).not.toBe(full40);
    expect(await windowDiff(full35, partAt35, region35)).toBeLessThanOrEqual(1);
    await dialog.getByRole('button', { name: 'Save' }).click();
    const out = path.join(serve.dir, 'photos', 'street-restored.png');
    await page.getByText(`Saved ${out}`).waitFor({ timeout: 30_000 });
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([W, H]);
    // What was written is the whole photo at strength 35 (its window matches the part seen).
    expect(await windowDiff(out, partAt35, region35)).toBeLessThanOrEqual(1);
    await shot('region-preview-exported');
  }, 300_000);

  it('without a result yet it sits over the original; with Colourize in the chain there is none, and the view says why', async () => {
    await page.getByRole('toolbar', { name: 'Image tools' }).getByRole('button', { name: 'Open', exact: true }).click();
    const picker = page.getByRole('dialog', { name: 'Open an image' });
    await picker.getByText(serve.dir, { exact: true }).click();
    await picker.getByText('photos', { exact: true }).click();
    await picker.getByText('lenna.png', { exact: true }).dblclick();
    await expect.poll(() => page.getByTestId('image-info').textContent()).toMatch(/^512 × 512/);
    expect(await page.getByTestId('result-info').count()).toBe(0);
    // 512 px fits at 1:1 (no region preview then); zoomed in past 3x a part fills the view.
    for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
    await strength().focus();
    await page.keyboard.press('ArrowRight');
    await regionPreview().waitFor({ timeout: 60_000 });
    expect(await shownRegion()).toEqual(await visibleOf(512, 512));
    expect(await page.getByText('ORIGINAL + PREVIEW 1:1 (OUTLINED)', { exact: true }).count()).toBe(1);
    await shot('region-preview-over-original');
    // Colourize on: its colour comes from the whole photo, so no region preview, and a line says so.
    await page.getByRole('switch', { name: 'Colourize step' }).check();
    await page.getByTestId('region-note').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('region-note').textContent()).toBe('No 1:1 preview with Colourize: its colour comes from the whole photo');
    expect(await regionPreview().count()).toBe(0);
    await page.getByRole('switch', { name: 'Colourize step' }).uncheck();
  }, 120_000);
});

