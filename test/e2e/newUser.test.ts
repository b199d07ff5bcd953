// What a new user tripped over in the app (issue 16), in the real UI in Chromium against
// `restore serve`: the restore result says the estimated strength; the split starts in the middle
// for the next photo and Fit fills the view; a dropped text file is named by its own name; Settings
// refuses threads -3 in the form; a batch whose output is its input is refused before Start in
// the app's words; Browse output folder lists the files and closes. Screenshots in test-artifacts/.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, CHROMIUM, openApp, pickFolder, startServe, type ServeFixture } from './serveFixture';

const haveChromium = existsSync(CHROMIUM);

describe.skipIf(!haveChromium)('a new user in the app (Chromium)', () => {
  let serve: ServeFixture;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  const runButton = () => page.getByRole('complementary', { name: 'Restoration settings' }).getByRole('button', { name: 'Restore', exact: true });
  const drop = async (name: string, bytes: Buffer, type: string, target: string) => {
    const dt = await page.evaluateHandle(`(() => {
      const data = Uint8Array.from(atob('${bytes.toString('base64')}'), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], '${name}', { type: '${type}' }));
      return transfer;
    })()`);
    await page.dispatchEvent(target, 'drop', { dataTransfer: dt });
  };
  const openFromPicker = async (folder: string, file: string) => {
    await page.getByRole('toolbar', { name: 'Image tools' }).getByRole('button', { name: 'Open', exact: true }).click();
    const picker = page.getByRole('dialog', { name: 'Open an image' });
    await picker.getByText(serve.dir, { exact: true }).click();
    await picker.getByText(folder, { exact: true }).click();
    await picker.getByText(file, { exact: true }).dblclick();
  };

  beforeAll(async () => {
    await fs.mkdir(ARTIFACTS, { recursive: true });
    serve = await startServe({ batchFiles: 1 });
    ({ browser, page } = await openApp(serve.url));
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.close();
  });

  it('names a dropped text file by its own name, not an upload path', async () => {
    await drop('shopping list.txt', Buffer.from('milk, eggs, bread\n'), 'text/plain', '[data-testid=drop-zone]');
    const alert = page.getByTestId('restore-error');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^shopping list\.txt: /);
    expect(await alert.textContent()).not.toContain('uploads');
    await shot('newuser-dropped-text');
    await alert.getByRole('button', { name: 'Close' }).click();
  });

  it('says the estimated strength; Fit fills the view; the split starts in the middle for the next photo', async () => {
    await drop('lenna.png', await fs.readFile(serve.photo), 'image/png', '[data-testid=drop-zone]');
    await expect.poll(() => page.getByTestId('image-info').textContent()).toMatch(/512 × 512/);
    // 512 px in a view taller than that: Fit enlarges (it stopped at 100% before).
    await expect.poll(async () => Number(await page.getByTestId('viewer').getAttribute('data-scale'))).toBeGreaterThan(1);
    // Under Auto the strength card shows no made-up value before the run, and what was found after it.
    const denoiseCard = page.getByRole('complementary', { name: 'Restoration settings' }).getByTestId('step-denoise');
    expect(await denoiseCard.textContent()).toContain('Strength: estimated from the photo when it runs');
    expect(await denoiseCard.getByRole('slider').count()).toBe(0);
    await runButton().click();
    await page.getByTestId('result-badge').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('result-badge').textContent()).toMatch(/^(Restored in \d+\.\d s|Nothing changed: no noise found \(σ 0\))$/);
    expect(await page.getByTestId('result-notes').textContent()).toMatch(/^Noise strength σ \d+\.\d, estimated from the photo$/);
    const found = Number(/σ (\d+\.\d)/.exec((await page.getByTestId('result-notes').textContent()) ?? '')?.[1]);
    expect(await denoiseCard.textContent()).toContain(`Strength σ ${found.toFixed(1)}, estimated from the photo`);
    const manual = String(Math.min(75, Math.max(1, Math.round(found))));
    expect(await denoiseCard.getByRole('slider').getAttribute('aria-valuenow')).toBe(manual);
    // Switching Auto off starts the manual strength from the estimate; on again for the rest.
    await denoiseCard.getByRole('checkbox', { name: 'Auto' }).uncheck();
    expect(await denoiseCard.getByRole('slider').getAttribute('aria-valuenow')).toBe(manual);
    expect(await denoiseCard.textContent()).toContain(`Strength σ ${manual}`);
    await denoiseCard.getByRole('checkbox', { name: 'Auto' }).check();
    const handle = page.getByTestId('compare-handle');
    await handle.focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    expect(await handle.getAttribute('aria-valuenow')).toBe('30');
    await shot('newuser-result');
    await openFromPicker('batch', 'baboon.png');
    await expect.poll(() => page.getByRole('toolbar', { name: 'Image tools' }).textContent()).toContain('baboon.png');
    await runButton().click();
    await page.getByTestId('result-badge').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('compare-handle').getAttribute('aria-valuenow')).toBe('50');
  });

  it('Settings refuses threads -3 in the form and saves nothing', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const threads = page.getByRole('spinbutton', { name: 'Threads' });
    const before = await threads.inputValue();
    await threads.fill('-3');
    await threads.blur();
    await page.getByText('Enter a whole number from 0 to 256').waitFor();
    await shot('newuser-settings-threads');
    const saved = JSON.parse(await fs.readFile(path.join(serve.dir, 'settings.json'), 'utf8').catch(() => '{}')) as { threads?: number };
    expect(saved.threads ?? Number(before)).toBe(Number(before));
    await threads.fill(before);
    await threads.blur();
  });

  it('Batch: an output folder that is the input folder is refused before Start, in the app\'s words; Browse output folder closes', async () => {
    await page.getByRole('button', { name: 'Batch' }).click();
    await pickFolder(page, 'Add folder…', serve.dir, 'batch');
    await pickFolder(page, 'Choose…', serve.dir, 'batch');
    const problem = page.getByTestId('batch-output-problem');
    await problem.waitFor();
    expect(await problem.textContent()).toBe('The output folder holds the photos of batch: restored files would replace the originals. Choose another output folder (a new subfolder is fine), or another format.');
    expect(await page.getByRole('button', { name: 'Start batch' }).isDisabled()).toBe(true);
    await shot('newuser-batch-output-is-input');

    await pickFolder(page, 'Choose…', serve.dir, 'out');
    await expect.poll(() => problem.count()).toBe(0);
    await page.getByRole('button', { name: 'Start batch' }).click();
    await expect.poll(() => page.getByTestId('batch-status').textContent(), { timeout: 90_000 }).toMatch(/^Finished/);
    await page.getByRole('button', { name: 'Browse output folder' }).click();
    const browse = page.getByRole('dialog', { name: 'Output folder' });
    await browse.getByText('baboon.png', { exact: true }).waitFor();
    await shot('newuser-batch-browse');
    await browse.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => browse.count()).toBe(0);
  });
});
