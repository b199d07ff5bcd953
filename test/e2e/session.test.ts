// Work kept across a page reload and a server restart (issue 16 items 4 and 3), in Chromium against
// `restore serve` with seeded models: a dropped photo with a painted mask, repaired, denoised and
// enlarged, and a batch run twice (the second run says why each file was skipped); the page is
// reloaded, then the server is stopped and started again on the same user data folder, and each
// time the photo, the steps, the mask, the result and the batch list are back. Settings shows the
// kept results and clears them; the Restore view then says the result is gone. A page reloaded
// while a long restore runs shows it running again (progress, Cancel) and then its result; one that
// finished while the page was away shows its result at once.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { ARTIFACTS, CHROMIUM, dropPhoto, openPage, startServe, type ServeFixture } from './serveFixture';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`session e2e skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const RESULT = /^Result 1024 × 1024 · test-inpaint \(.*filled\) → test-denoise-color → test-upscale-x2/;

describe.skipIf(!haveChromium)('work kept across a reload and a restart (Chromium)', () => {
  let serve: ServeFixture;
  let browser: Browser;
  let page: Page;
  const runButton = () => page.getByRole('complementary', { name: 'Restoration settings' }).getByRole('button', { name: 'Restore', exact: true });
  const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  /** The saved session as the server wrote it. */
  const saved = async (): Promise<{ restore: { result: string | null; photo: string | null; job?: string | null }; batch: { last: { state: string; skipped: number } | null } } | null> =>
    JSON.parse(await fs.readFile(path.join(serve.dataHome, 'restore-studio', 'session', 'session.json'), 'utf8').catch(() => 'null'));
  const pickFolder = async (name: string) => {
    const dialog = page.getByRole('dialog');
    await dialog.getByText(serve.dir, { exact: true }).click();
    await dialog.getByText(name, { exact: true }).click();
    await dialog.getByRole('button', { name: 'Choose this folder' }).click();
  };
  /** The Restore view shows the photo, the chain, the mask and the result of the first test. */
  const expectRestoreBack = async () => {
    await nav('Restore').click();
    await expect.poll(() => page.getByTestId('image-info').textContent(), { timeout: 30_000 }).toMatch(/^512 × 512 · PNG/);
    await expect.poll(() => page.getByTestId('result-info').textContent(), { timeout: 30_000 }).toMatch(RESULT);
    expect(await page.getByRole('switch', { name: 'Repair scratches step' }).isChecked()).toBe(true);
    expect(await page.getByRole('switch', { name: 'Enlarge step' }).isChecked()).toBe(true);
    expect(await page.getByTestId('step-upscale').getByRole('checkbox', { name: /Max quality/ }).isChecked()).toBe(true);
    // The mask is back: with Repair on and no detector installed, Restore needs a painted mask.
    await expect.poll(() => runButton().isEnabled()).toBe(true);
    await expect.poll(() => page.evaluate(`(() => { const i = document.querySelector('img[alt="After"]'); return i && i.complete ? i.naturalWidth : 0; })()`)).toBe(1024);
  };
  const expectBatchBack = async () => {
    await nav('Batch').click();
    expect(await page.getByRole('list', { name: 'Batch inputs' }).textContent()).toMatch(/batch/);
    expect(await page.getByTestId('batch-output').textContent()).toBe(path.join(serve.dir, 'out'));
    expect(await page.getByTestId('batch-skipped').textContent()).toBe('4 skipped');
    const skipped = page.locator('[data-testid=batch-results] [data-status=skipped]');
    expect(await skipped.count()).toBe(4);
    expect(await skipped.first().textContent()).toMatch(/Skipped: already restored with these steps/);
  };

  beforeAll(async () => {
    await fs.mkdir(ARTIFACTS, { recursive: true });
    serve = await startServe({ batchFiles: 1 });
    ({ browser, page } = await openPage(serve.url));
    await page.getByText('Drop a photo to restore').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
  });

  it('restores a dropped photo with a mask and runs a batch twice (the second run says why it skips)', async () => {
    await dropPhoto(page, serve.photo);
    await expect.poll(() => page.getByTestId('image-info').textContent()).toMatch(/512 × 512 · PNG/);
    await page.getByRole('switch', { name: 'Repair scratches step' }).check();
    await page.getByRole('button', { name: 'Mask brush' }).click();
    const cb = (await page.getByTestId('mask-canvas').boundingBox())!;
    await page.mouse.move(cb.x + cb.width * 0.3, cb.y + cb.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(cb.x + cb.width * 0.6, cb.y + cb.height * 0.5, { steps: 8 });
    await page.mouse.up();
    await page.getByRole('switch', { name: 'Enlarge step' }).check();
    await page.getByTestId('step-upscale').getByRole('checkbox', { name: /Max quality/ }).check();
    await runButton().click();
    await expect.poll(() => page.getByTestId('result-info').textContent(), { timeout: 90_000 }).toMatch(RESULT);

    await nav('Batch').click();
    await page.getByRole('button', { name: 'Add folder…' }).click();
    await pickFolder('batch');
    await page.getByRole('button', { name: 'Choose…' }).click();
    await pickFolder('out');
    for (const run of [1, 2]) {
      await page.getByRole('button', { name: 'Start batch' }).click();
      await expect.poll(() => page.getByTestId('batch-status').textContent(), { timeout: 90_000 }).toBe('Finished 5 files');
      if (run === 1) expect(await page.getByTestId('batch-done').textContent()).toBe('4 done');
    }
    expect(await page.getByTestId('batch-skipped').textContent()).toBe('4 skipped');
    await shot('session-batch-skipped');
    await expect.poll(async () => (await saved())?.batch.last?.skipped, { timeout: 10_000 }).toBe(4);
    expect((await saved())?.restore.result).toMatch(/restore-studio\/results\/restore-.*\.png$/);
  });

  it('brings the work back after a page reload', async () => {
    await page.reload();
    // The reload stays on the view that was shown (Batch, named in the address).
    expect(page.url()).toMatch(/#batch$/);
    await expect.poll(() => nav('Batch').getAttribute('aria-current')).toBe('page');
    await expectRestoreBack();
    await page.getByRole('button', { name: 'Mask brush' }).click();
    await page.screenshot({ path: '/tmp/session-after-reload.png' });
    await shot('session-after-reload');
    await expectBatchBack();
  });

  it('brings the work back after the server stops and starts again, and clears the kept results', async () => {
    const before = await saved();
    await serve.restart();
    await page.goto(serve.url);
    await expectRestoreBack();
    // The dropped photo's upload went with the old server's workspace: the session kept a copy.
    expect(before?.restore.photo).toMatch(/restore-studio\/session\/photo\/.*\/lenna\.png$/);
    // Export offers the user's folder, not the app's copy of the photo in its data folder.
    await page.getByRole('button', { name: 'Export…' }).click();
    expect(await page.getByRole('dialog').getByLabel('Folder').inputValue()).toBe(serve.dir);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.screenshot({ path: '/tmp/session-after-restart.png' });
    await shot('session-after-restart');
    await expectBatchBack();
    await page.screenshot({ path: '/tmp/session-batch-after-restart.png' });

    await nav('Settings').click();
    await expect.poll(() => page.getByTestId('kept-results').textContent()).toMatch(/ in 1 result \(1 not exported\) of at most 2\.00 GB$/);
    await page.getByRole('button', { name: 'Clear kept results' }).click();
    await page.getByText('1 result has never been exported and will be gone. Clear anyway?').waitFor();
    await new Promise((r) => setTimeout(r, 300)); // the warning scrolls into view
    await page.screenshot({ path: '/tmp/session-settings-clear.png' });
    await shot('session-settings-clear');
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => page.getByTestId('kept-results').textContent()).toMatch(/^0 B in 0 results of at most/);
    await nav('Restore').click();
    await expect.poll(() => page.getByTestId('result-info').count()).toBe(0);
    expect(await page.getByTestId('image-info').textContent()).toMatch(/^512 × 512 · PNG/);
  });

  it('re-attaches to a restore still running after a reload: its progress and Cancel, then its result', async () => {
    // A 2048 x 1024 print with both steps at Max quality: long enough to reload in the middle.
    const big = path.join(serve.dir, 'photos', 'print.png');
    const [w, h] = [2048, 1024];
    const data = Buffer.alloc(w * h * 3);
    for (let i = 0; i < w * h; i++) data.set([(i % w) % 256, Math.floor(i / w) % 256, (i * 7) % 256], i * 3);
    await sharp(data, { raw: { width: w, height: h, channels: 3 } }).png().toFile(big);
    // Dropped over the open photo (the view takes drops anywhere), or on the empty view's drop zone.
    if ((await page.getByTestId('drop-zone').count()) > 0) await dropPhoto(page, big);
    else {
      const bytes = (await fs.readFile(big)).toString('base64');
      const dt = await page.evaluateHandle(`(() => {
        const data = Uint8Array.from(atob('${bytes}'), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([data], 'print.png', { type: 'image/png' }));
        return transfer;
      })()`);
      await page.dispatchEvent('[data-testid=image-info]', 'drop', { dataTransfer: dt });
    }
    await expect.poll(() => page.getByTestId('image-info').textContent(), { timeout: 30_000 }).toMatch(/^2048 × 1024 · PNG/);
    await page.getByRole('switch', { name: 'Repair scratches step' }).uncheck();
    await page.getByRole('switch', { name: 'Reduce noise step' }).check();
    await page.getByTestId('step-denoise').getByRole('checkbox', { name: /Max quality/ }).check();
    await page.getByRole('switch', { name: 'Enlarge step' }).check();
    await page.getByTestId('step-upscale').getByRole('checkbox', { name: /Max quality/ }).check();
    await runButton().click();
    const progress = () => page.getByRole('progressbar', { name: 'Restore progress' });
    await expect.poll(() => progress().getAttribute('aria-valuenow'), { timeout: 60_000 }).toMatch(/^[1-9]/);
    // The session names the running job before the page goes (saved shortly after each change).
    await expect.poll(async () => (await saved())?.restore.job ?? null, { timeout: 10_000 }).toMatch(/^restore-/);
    const jobId = (await saved())?.restore.job;

    await page.reload();
    await expect.poll(() => page.getByTestId('image-info').textContent(), { timeout: 30_000 }).toMatch(/^2048 × 1024 · PNG/);
    // Still running on the server: shown again, its progress moving on, with Cancel.
    await progress().waitFor({ timeout: 10_000 });
    const resumedAt = Number(await progress().getAttribute('aria-valuenow'));
    expect(await page.getByRole('complementary', { name: 'Restoration settings' }).getByRole('button', { name: 'Cancel' }).isVisible()).toBe(true);
    await shot('session-reload-running');
    await expect.poll(async () => Number((await progress().getAttribute('aria-valuenow').catch(() => null)) ?? 100), { timeout: 60_000 }).toBeGreaterThan(resumedAt);
    // Its result, when the server finishes it (the job this page never started).
    await expect.poll(() => page.getByTestId('result-info').textContent(), { timeout: 180_000 }).toMatch(/^Result 4096 × 2048 · test-denoise-color .*→ test-upscale-x2/);
    expect(await progress().count()).toBe(0);
    await shot('session-reload-result');
    await expect.poll(async () => (await saved())?.restore.result ?? '', { timeout: 10_000 }).toContain(`${jobId}.png`);
    expect((await saved())?.restore.job).toBeNull();

    // Cancel works on a re-attached job: the server stops it, the earlier result stays.
    await runButton().click();
    await expect.poll(() => progress().getAttribute('aria-valuenow'), { timeout: 60_000 }).toMatch(/^[1-9]/);
    await expect.poll(async () => (await saved())?.restore.job ?? jobId, { timeout: 10_000 }).not.toBe(jobId);
    await page.reload();
    await progress().waitFor({ timeout: 30_000 });
    await page.getByRole('complementary', { name: 'Restoration settings' }).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => progress().count(), { timeout: 30_000 }).toBe(0);
    expect(await page.getByTestId('result-info').textContent()).toMatch(/^Result 4096 × 2048/);
    expect(await page.getByTestId('restore-error').count()).toBe(0);
    await expect.poll(async () => (await saved())?.restore.job, { timeout: 10_000 }).toBeNull();
    expect((await saved())?.restore.result).toContain(`${jobId}.png`);
  });

  it('shows at once the result of a restore that finished while the page was away', async () => {
    const progress = () => page.getByRole('progressbar', { name: 'Restore progress' });
    await runButton().click();
    await expect.poll(() => progress().getAttribute('aria-valuenow'), { timeout: 60_000 }).toMatch(/^[1-9]/);
    await expect.poll(async () => (await saved())?.restore.job ?? null, { timeout: 10_000 }).toMatch(/^restore-/);
    const jobId = (await saved())!.restore.job!;
    await page.goto('about:blank');
    // The server finishes it meanwhile (its sidecar is written with the result).
    const sidecar = path.join(serve.dataHome, 'restore-studio', 'results', `${jobId}.json`);
    await expect.poll(() => existsSync(sidecar), { timeout: 180_000, interval: 250 }).toBe(true);
    await page.goto(serve.url);
    await expect.poll(() => page.getByTestId('result-info').textContent(), { timeout: 30_000 }).toMatch(/^Result 4096 × 2048 · test-denoise-color/);
    expect(await progress().count()).toBe(0);
    await expect.poll(async () => (await saved())?.restore.result ?? '', { timeout: 10_000 }).toContain(`${jobId}.png`);
    expect((await saved())?.restore.job).toBeNull();
  });
});
