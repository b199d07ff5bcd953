// End-to-end test of the real UI in a real browser: Debian's Chromium (playwright-core) against
// `restore serve` with tiny seeded models. Drops a photo and denoises it, moves the before/after
// slider, zooms and pans; paints a mask and inpaints; runs a batch over five files of which one is
// corrupt; cancels a running batch; switches the provider and sees the active one reported.
// Export asks before replacing a file (Keep both) and refuses to write over the dropped photo's original.
// An iPhone HEIC opens from the picker, is previewed (converted by the bridge) and restored. A scan
// of two prints is split into files (asked before replacing; never over a photo opened in the app).
// Screenshots of each view go to test-artifacts/.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { ARTIFACTS, CHROMIUM, ROOT, startServe, type ServeFixture, openApp, openFromPicker } from './serveFixture';
import { makeScan } from '../fixtures/scans';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`web e2e skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(!haveChromium)('web bridge end to end (Chromium)', () => {
  let serve: ServeFixture;
  let browser: Browser;
  let page: Page;
  const runButton = () => page.getByRole('complementary', { name: 'Restoration settings' }).getByRole('button', { name: 'Restore', exact: true });
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

  beforeAll(async () => {
    await fs.mkdir(ARTIFACTS, { recursive: true });
    serve = await startServe();
    ({ browser, page } = await openApp(serve.url));
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
  });

  it('drops a photo, denoises it, moves the slider, zooms and pans', async () => {
    await shot('restore-empty');
    const bytes = (await fs.readFile(serve.photo)).toString('base64');
    // Runs in the page (DOM types are not part of the Node test program, hence the string).
    const dt = await page.evaluateHandle(`(() => {
      const data = Uint8Array.from(atob('${bytes}'), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], 'lenna.png', { type: 'image/png' }));
      return transfer;
    })()`);
    await page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer: dt });
    await expect.poll(() => page.getByTestId('image-info').textContent()).toMatch(/512 × 512 · PNG/);

    await runButton().click();
    await page.getByTestId('result-info').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('result-info').textContent()).toMatch(/test-denoise-color/);

    const handle = page.getByTestId('compare-handle');
    expect(await handle.getAttribute('aria-valuenow')).toBe('50');
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 200, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    expect(Number(await handle.getAttribute('aria-valuenow'))).toBeLessThan(40);

    const viewer = page.getByTestId('viewer');
    const scale0 = Number(await viewer.getAttribute('data-scale'));
    const vb = (await viewer.boundingBox())!;
    await page.mouse.move(vb.x + vb.width * 0.7, vb.y + vb.height * 0.5);
    await page.mouse.wheel(0, -600);
    await expect.poll(async () => Number(await viewer.getAttribute('data-scale'))).toBeGreaterThan(scale0 * 1.5);
    const pan0 = await viewer.getAttribute('data-pan');
    await page.mouse.down();
    await page.mouse.move(vb.x + vb.width * 0.5, vb.y + vb.height * 0.4, { steps: 5 });
    await page.mouse.up();
    expect(await viewer.getAttribute('data-pan')).not.toBe(pan0);
    await page.getByRole('button', { name: 'Actual size' }).click();
    await expect.poll(() => page.getByTestId('zoom-level').textContent()).toBe('100%');
    await page.getByRole('button', { name: 'Fit to window' }).click();
    await shot('restore-compare-slider');
    await page.getByRole('button', { name: 'Side by side' }).click();
    await shot('restore-side-by-side');
    await expect.poll(() => page.getByRole('button', { name: 'Side by side' }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('c'); // shortcut: toggle compare mode
    await expect.poll(() => page.getByRole('button', { name: 'Slider' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('exports the result as JPEG into a chosen folder', async () => {
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export restored image' });
    await dialog.getByRole('combobox', { name: 'Format' }).click();
    await page.getByRole('option', { name: 'JPEG' }).click();
    await dialog.getByRole('button', { name: 'Change' }).click();
    const picker = page.getByRole('dialog', { name: 'Choose a folder' });
    await picker.getByText(serve.dir, { exact: true }).click();
    await picker.getByText('photos', { exact: true }).click();
    await picker.getByRole('button', { name: 'Choose this folder' }).click();
    await shot('restore-export');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const out = path.join(serve.dir, 'photos', 'lenna-restored.jpg');
    await page.getByText(`Saved ${out}`).waitFor();
    expect((await sharp(out).metadata()).format).toBe('jpeg');
  });

  it('asks before replacing a file (Keep both), and never writes over the dropped photo\'s original', async () => {
    const exportAs = async (format: string | null, name: string | null) => {
      await page.getByRole('button', { name: 'Export…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export restored image' });
      if (format) {
        await dialog.getByRole('combobox', { name: 'Format' }).click();
        await page.getByRole('option', { name: format }).click();
      }
      if (!(await dialog.getByRole('textbox', { name: 'Folder' }).inputValue()).endsWith('photos')) {
        await dialog.getByRole('button', { name: 'Change' }).click();
        const picker = page.getByRole('dialog', { name: 'Choose a folder' });
        await picker.getByText(serve.dir, { exact: true }).click();
        await picker.getByText('photos', { exact: true }).click();
        await picker.getByRole('button', { name: 'Choose this folder' }).click();
      }
      if (name !== null) await dialog.getByRole('textbox', { name: 'File name' }).fill(name);
      await dialog.getByRole('button', { name: 'Save' }).click();
      return dialog;
    };
    // The same folder, format and default name as the export before: the name is taken now.
    await exportAs('JPEG', null);
    const confirm = page.getByRole('dialog', { name: 'Replace lenna-restored.jpg?' });
    await confirm.getByRole('button', { name: 'Replace' }).waitFor();
    await page.waitForTimeout(300); // the dialog's fade-in, for the screenshot
    await shot('restore-export-replace');
    await confirm.getByRole('button', { name: 'Keep both' }).click();
    const kept = path.join(serve.dir, 'photos', 'lenna-restored (1).jpg');
    await page.getByText(`Saved ${kept}`).waitFor();
    expect((await sharp(kept).metadata()).format).toBe('jpeg');

    // The dropped photo reached the server as an upload; its original sits in photos/ under the same name.
    const before = await fs.readFile(serve.photo);
    const dialog = await exportAs('PNG', 'lenna');
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/lenna\.png: would overwrite an original/);
    expect((await fs.readFile(serve.photo)).equals(before)).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('paints a mask and inpaints', async () => {
    await page.getByRole('switch', { name: 'Repair scratches step' }).check();
    await expect.poll(() => runButton().isDisabled()).toBe(true);
    // No damage detector among this server's models: Find damage is off and says why.
    expect(await page.getByTestId('damage-no-detector').textContent()).toBe('No damage detector model is installed: paint over the damage with the mask brush (B).');
    expect(await page.getByRole('button', { name: 'Find damage automatically' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Mask brush' }).click();
    const canvas = page.getByTestId('mask-canvas');
    const cb = (await canvas.boundingBox())!;
    await page.mouse.move(cb.x + cb.width * 0.3, cb.y + cb.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(cb.x + cb.width * 0.6, cb.y + cb.height * 0.5, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.getByRole('button', { name: 'Undo' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => runButton().isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Redo' }).click();
    await shot('restore-mask');
    await runButton().click();
    await page.getByRole('progressbar', { name: 'Restore progress' }).waitFor({ timeout: 10_000 });
    await shot('restore-running');
    await expect.poll(() => page.getByTestId('result-info').textContent(), { timeout: 60_000 }).toMatch(/test-inpaint.*test-denoise-color/);
    await shot('restore-inpainted');
    await page.getByRole('switch', { name: 'Repair scratches step' }).uncheck();
  });

  it('enlarges 2x and compares the larger result over the original', async () => {
    await page.getByRole('switch', { name: 'Enlarge step' }).check();
    await page.getByRole('button', { name: '4×' }).click();
    await expect.poll(() => page.getByTestId('chain-problem').textContent()).toBe('Enlarge 4×: no trained model yet.');
    await page.getByRole('button', { name: '2×' }).click();
    await page.getByTestId('step-upscale').getByRole('checkbox', { name: /Max quality/ }).check();
    await runButton().click();
    await expect.poll(() => page.getByTestId('result-info').textContent(), { timeout: 60_000 }).toMatch(/^Result 1024 × 1024 · test-denoise-color → test-upscale-x2 \(max quality\)/);
    // The enlarged result is shown over the original's area at twice the pixel density.
    await expect.poll(() => page.evaluate(`(() => { const i = document.querySelector('img[alt="After"]'); return i && i.complete ? i.naturalWidth : 0; })()`)).toBe(1024);
    await shot('restore-enlarged');
    await page.getByRole('switch', { name: 'Enlarge step' }).uncheck();
  });

  it('opens an iPhone photo (HEIC, Display P3) from the picker, shows it and restores it', async () => {
    await fs.copyFile(path.join(ROOT, 'test/fixtures/imageio/heic-files/photo-p3.heic'), path.join(serve.dir, 'photos', 'iphone.heic'));
    await openFromPicker(page, serve.dir, 'photos', 'iphone.heic');
    await expect.poll(() => page.getByTestId('image-info').textContent()).toMatch(/^160 × 120 · HEIC · 8-bit/);
    // the browser cannot show HEIC: the bridge's preview is the decoded photo
    await expect.poll(() => page.evaluate(`(() => { const i = document.querySelector('img[alt="Before"]'); return i && i.complete ? i.naturalWidth : 0; })()`)).toBe(160);
    await runButton().click();
    await expect.poll(() => page.getByTestId('result-info').textContent(), { timeout: 60_000 }).toMatch(/^Result 160 × 120 · test-denoise-color/);
    await shot('restore-heic');
  });

  it('splits a scan of two prints into files, asks before replacing them, opens one; refuses a single photo', async () => {
    const LOC = '/work/shared/data/eval/old/LoC';
    const { png } = await makeScan(1200, 700, [
      { file: path.join(LOC, 'Abdul_1003.png'), cx: 330, cy: 350, angle: -4, border: 12 },
      { file: path.join(LOC, 'Carpenter_123.png'), cx: 900, cy: 340, angle: 8 },
    ]);
    await sharp(png).jpeg({ quality: 95 }).toFile(path.join(serve.dir, 'photos', 'album.jpg'));
    const openPhoto = (name: string): Promise<void> => openFromPicker(page, serve.dir, 'photos', name);
    const dialog = page.getByRole('dialog', { name: 'Split scan into prints' });
    const split = async (): Promise<void> => {
      await page.getByRole('button', { name: 'Split scan into prints' }).click();
      await expect.poll(() => dialog.getByTestId('split-found').textContent(), { timeout: 30_000 }).toBe('Found 2 prints on album.jpg.');
      await dialog.getByRole('button', { name: 'Save 2 prints' }).click();
    };
    const saved = dialog.getByRole('list', { name: 'Prints saved' });
    await openPhoto('album.jpg');
    // opening a scan of several prints offers to split it
    await expect.poll(() => page.getByTestId('split-hint').textContent(), { timeout: 30_000 }).toBe('A scan of 2 prints: split it…');
    await page.getByTestId('split-hint').click();
    await expect.poll(() => dialog.getByTestId('split-found').textContent(), { timeout: 30_000 }).toBe('Found 2 prints on album.jpg.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await split();
    await saved.waitFor({ timeout: 30_000 });
    await shot('restore-split-scan');
    const prints = [1, 2].map((k) => path.join(serve.dir, 'photos', `album-${k}.png`));
    for (const f of prints) expect((await sharp(f).metadata()).width).toBeGreaterThan(300);
    await dialog.getByRole('button', { name: 'Done' }).click();
    // the same names again: asked, then replaced
    const before = (await fs.stat(prints[0]!)).mtimeMs;
    await split();
    const ask = page.getByRole('dialog', { name: 'Replace the prints saved before?' });
    await ask.getByRole('button', { name: 'Replace' }).click();
    await saved.waitFor({ timeout: 30_000 });
    expect((await fs.stat(prints[0]!)).mtimeMs).toBeGreaterThan(before);
    const size = await sharp(prints[1]!).metadata();
    await dialog.getByRole('button', { name: 'Open album-2.png' }).click();
    await expect.poll(() => page.getByTestId('image-info').textContent()).toMatch(new RegExp(`^${size.width} × ${size.height} · PNG`));
    // a photo opened in the app is never written over: splitting the scan again into its folder is refused
    await openPhoto('album.jpg');
    await split();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/album-2\.png: would overwrite a photo opened in the app; choose another folder/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // one photo filling the picture: nothing to split, nothing to save
    await openPhoto('lenna.png');
    await page.getByRole('button', { name: 'Split scan into prints' }).click();
    await expect.poll(() => dialog.getByTestId('split-found').textContent(), { timeout: 30_000 }).toBe('No plain background (a white or black scanner lid) around the picture: this looks like one photo, not a scan of several prints.');
    await expect(dialog.getByRole('button', { name: /^Save/ }).isDisabled()).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByTestId('split-hint').count()).toBe(0);
  });

  it('runs a batch of five files with one corrupt: four done, one failure with its reason', async () => {
    await page.getByRole('button', { name: 'Batch' }).click();
    await shot('batch-empty');
    await page.getByRole('button', { name: 'Add folder…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(serve.dir, { exact: true }).click();
    // A slow listing: "Choose this folder" waits for the folder clicked, not the one still shown.
    const slow = async (route: import('playwright-core').Route): Promise<void> => {
      if (route.request().postData()?.includes('batch')) await new Promise((r) => setTimeout(r, 1500));
      await route.continue().catch(() => undefined); // a later listing may come after the unroute below
    };
    await page.route('**/api/call/listDir', slow);
    await dialog.getByText('batch', { exact: true }).click();
    expect(await dialog.getByRole('button', { name: 'Choose this folder' }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Choose this folder' }).click();
    await page.unroute('**/api/call/listDir', slow);
    await page.getByRole('button', { name: 'Choose…' }).click();
    await dialog.getByText(serve.dir, { exact: true }).click();
    await dialog.getByText('out', { exact: true }).click();
    await dialog.getByRole('button', { name: 'Choose this folder' }).click();
    await page.getByRole('button', { name: 'Start batch' }).click();
    await expect.poll(() => page.getByTestId('batch-status').textContent(), { timeout: 90_000 }).toBe('Finished 5 files');
    expect(await page.getByTestId('batch-done').textContent()).toBe('4 done');
    expect(await page.getByTestId('batch-failed').textContent()).toBe('1 failed');
    const failed = page.locator('[data-testid=batch-results] [data-status=failed]');
    await expect.poll(() => failed.textContent()).toMatch(/broken\.png.*broken\.png: /);
    expect(existsSync(path.join(serve.dir, 'out', 'sub', 'comic.png'))).toBe(true);
    await shot('batch-finished');
  });

  it('pauses, resumes and cancels a running batch', async () => {
    await page.getByRole('button', { name: 'Remove batch' }).click();
    await page.getByRole('button', { name: 'Add folder…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(serve.dir, { exact: true }).click();
    await dialog.getByText('many', { exact: true }).click();
    await dialog.getByRole('button', { name: 'Choose this folder' }).click();
    await page.getByRole('button', { name: 'Start batch' }).click();
    await expect.poll(async () => Number((await page.getByTestId('batch-done').textContent())?.split(' ')[0]), { timeout: 60_000 }).toBeGreaterThan(0);
    await shot('batch-running');
    await page.getByRole('button', { name: 'Pause' }).click();
    // "Pausing" while the file in flight finishes, then "Paused" and nothing moves.
    await expect.poll(() => page.getByTestId('batch-status').textContent(), { timeout: 60_000 }).toMatch(/^Paused at \d+ of 40$/);
    const held = await page.getByTestId('batch-status').textContent();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await page.getByTestId('batch-status').textContent()).toBe(held);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('batch-status').textContent(), { timeout: 30_000 }).toMatch(/^Restoring \d+ of 40$/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('batch-status').textContent(), { timeout: 30_000 }).toMatch(/^Cancelled after \d+ of 40$/);
    const done = Number((await page.getByTestId('batch-done').textContent())?.split(' ')[0]);
    expect(done).toBeLessThan(40);
  });

  it('changes the provider and shows the active one', async () => {
    await page.getByRole('button', { name: 'Models' }).click();
    await page.getByRole('cell', { name: /test-denoise-color/ }).waitFor();
    await shot('models');
    await page.getByRole('button', { name: 'Training' }).click();
    await page.getByText('Fine-tune on your own photos').waitFor();
    await shot('training');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('combobox', { name: 'Execution provider' }).click();
    await page.getByRole('option', { name: 'CUDA (NVIDIA)' }).click();
    await expect.poll(() => page.getByTestId('active-provider').textContent(), { timeout: 60_000 }).toMatch(/Active: CPU — .*CUDA/i);
    await shot('settings');
    // The output format: the four formats and "Same as input" (FormatSelect, shared with Export and Batch).
    const format = page.getByRole('combobox', { name: 'Format' });
    await format.click();
    expect(await page.getByRole('option').allTextContents()).toEqual(['Same as input', 'PNG', 'JPEG', 'TIFF', 'WebP']);
    await page.getByRole('option', { name: 'WebP' }).click();
    await expect.poll(() => format.textContent()).toBe('WebP');
    await format.click();
    await page.getByRole('option', { name: 'Same as input' }).click();
    await expect.poll(() => format.textContent()).toBe('Same as input');
    await page.getByRole('button', { name: 'Light' }).click();
    await expect.poll(() => page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(243, 244, 247)');
    await shot('settings-light');
    await page.getByRole('button', { name: 'Dark' }).click();
    await page.getByRole('combobox', { name: 'Execution provider' }).click();
    await page.getByRole('option', { name: 'CPU' }).click();
    await expect.poll(() => page.getByTestId('active-provider').textContent(), { timeout: 60_000 }).toBe('Active: CPU');
    // Automatic without a usable GPU: the CPU, said as information with where to read how to enable one.
    await page.getByRole('combobox', { name: 'Execution provider' }).click();
    await page.getByRole('option', { name: 'Automatic' }).click();
    await expect.poll(() => page.getByTestId('active-provider').textContent(), { timeout: 60_000 }).toMatch(/^Active: CPU — no GPU in use \(.*CUDA.*\); the README's "GPU acceleration" says how to enable one$/);
    expect(await page.getByTestId('active-provider').getAttribute('class')).toMatch(/MuiAlert-colorInfo/);
  });

  it('runs all views on the in-memory fake API (?fake=1, for UI work without an engine)', async () => {
    const fake = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    fake.on('pageerror', (e) => errors.push(e.message));
    await fake.goto(`${serve.url}&fake=1`);
    await fake.getByText('Drop a photo to restore').waitFor();
    await fake.getByRole('button', { name: 'Models' }).click();
    await fake.getByRole('cell', { name: /fake-colorize/ }).waitFor();
    for (const view of ['Batch', 'Training', 'Settings', 'Restore']) await fake.getByRole('button', { name: view, exact: true }).first().click();
    expect(errors).toEqual([]);
    await fake.close();
  });

  it('asks before cancelling a training that has steps to lose (fake API)', async () => {
    const fake = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await fake.goto(`${serve.url}&fake=1`);
    await fake.getByRole('button', { name: 'Training', exact: true }).click();
    const setup = fake.getByRole('region', { name: 'Training setup' });
    await setup.getByRole('button', { name: 'Add folder…' }).click();
    const picker = fake.getByRole('dialog', { name: 'Choose a folder of your photos' });
    await picker.getByText('/photos', { exact: true }).click();
    await picker.getByRole('button', { name: 'Choose this folder' }).click();
    await setup.getByRole('button', { name: 'Start training' }).click();
    await expect.poll(() => fake.getByTestId('training-stats').textContent(), { timeout: 20_000 }).toMatch(/^Step [1-9]/);
    const progress = fake.getByRole('region', { name: 'Training progress' });
    await progress.getByRole('button', { name: 'Cancel' }).click();
    const confirm = fake.getByRole('dialog', { name: 'Cancel this training?' });
    expect(await confirm.textContent()).toMatch(/Its \d+ steps? .*are deleted and no model is installed\. Pause instead keeps them/);
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    await expect.poll(() => confirm.count()).toBe(0);
    expect(await fake.getByTestId('training-state').textContent()).toMatch(/^(Training|Finished)$/);
    if ((await fake.getByTestId('training-state').textContent()) === 'Training') {
      await progress.getByRole('button', { name: 'Cancel' }).click();
      await confirm.getByRole('button', { name: 'Cancel training' }).click();
      await setup.waitFor();
    }
    await fake.close();
  });

  it('keeps its layout at the smallest supported window, 1024 x 700', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByRole('button', { name: 'Restore' }).first().click();
    const run = runButton();
    const box = (await run.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(700);
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    await shot('restore-1024x700');
    await page.getByRole('button', { name: 'Batch' }).click();
    await shot('batch-1024x700');
  });
});
