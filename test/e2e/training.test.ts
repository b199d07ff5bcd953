// End-to-end test of the Training view in a real browser (Debian's Chromium via playwright-core)
// against `restore serve` with a tiny seeded denoiser (and colourizer: Colourize is refused on a
// folder of black-and-white prints, with the reason): picks a folder of six CBSD68 photos in the
// in-app folder browser, trains a tiny budget (RESTORE_TRAINING_OVERRIDES: 64-px patches, one per
// step, 24 steps), sees the loss chart, the held-out PSNR and the preview update, adopts the model
// under a name, finds it in Models (with its lineage) and in the Restore view's model picker, and
// restores a photo with it (it is the default in place of its base). Screenshots of the setup,
// training and result states go to test-artifacts/ (renderer/docs/ keeps the ones looked at).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { testColorizer, testDenoiser, writeModelDir, type ModelDir } from '../../electron/engine/test/models';
import { ARTIFACTS, CHROMIUM, ROOT, openApp } from './serveFixture';

const PHOTOS = '/work/shared/data/eval/CBSD68'; // as the other tests, wherever the checkout is
/** Real black-and-white prints: Colourize cannot learn from them. */
const PRINTS = '/work/shared/data/eval/old/LoC';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`training e2e skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
const OVERRIDES = { steps: 24, patch: 64, batch: 1, valEvery: 6, checkpointEvery: 6, patience: 0, warmup: 0, lr: 1e-3, threads: 1 };

describe.skipIf(!haveChromium || !existsSync(PHOTOS) || !existsSync(PRINTS))('Training view end to end (Chromium, web bridge)', () => {
  let dir: string;
  let models: ModelDir;
  let child: ChildProcess;
  let browser: Browser;
  let page: Page;
  let err = '';
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    await fs.mkdir(ARTIFACTS, { recursive: true });
    dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'restore-e2e-train-')));
    const photos = path.join(dir, 'photos');
    await fs.mkdir(photos, { recursive: true });
    const names = (await fs.readdir(PHOTOS)).filter((n) => n.endsWith('.png')).slice(0, 6);
    for (const n of names) await fs.copyFile(path.join(PHOTOS, n), path.join(photos, n));
    await fs.mkdir(path.join(dir, 'prints'));
    for (const n of (await fs.readdir(PRINTS)).sort().slice(0, 5)) await fs.copyFile(path.join(PRINTS, n), path.join(dir, 'prints', n));
    models = await writeModelDir([testDenoiser(3, 4), testColorizer()]);
    child = spawn(process.execPath, ['bin/restore.js', 'serve', '--allow', dir, '--models-dir', models.dir, '--settings', path.join(dir, 'settings.json')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, XDG_DATA_HOME: path.join(dir, 'userdata'), RESTORE_TRAINING_OVERRIDES: JSON.stringify(OVERRIDES) },
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`restore serve printed no URL within 30 s: ${err}`)), 30_000);
      createInterface({ input: child.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        const m = /^Listening on (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/.exec(line);
        if (m?.[1]) resolve(m[1]);
        else reject(new Error(`unexpected first line from restore serve: ${line}`));
      });
    });
    ({ browser, page } = await openApp(url, { width: 1280, height: 900 }));
  });

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await models?.cleanup();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('counts the black-and-white prints of a folder and does not start Colourize on them, saying why', async () => {
    await page.getByRole('button', { name: 'Training', exact: true }).click();
    const setup = page.getByRole('region', { name: 'Training setup' });
    await setup.getByRole('button', { name: 'Add folder…' }).click();
    const picker = page.getByRole('dialog', { name: 'Choose a folder of your photos' });
    await picker.getByText(dir, { exact: true }).click();
    await picker.getByText('prints', { exact: true }).click();
    await picker.getByRole('button', { name: 'Choose this folder' }).click();
    await expect.poll(() => page.getByTestId('training-scan').textContent()).toMatch(/^Found 5 photos, \d+\.\d megapixels, all black-and-white or toned\.$/);
    const start = setup.getByRole('button', { name: 'Start training' });
    expect(await start.isEnabled()).toBe(true); // denoising learns from them
    await setup.getByRole('combobox', { name: 'What to improve' }).click();
    await page.getByRole('option', { name: 'Colourize' }).click();
    await expect.poll(() => page.getByTestId('training-colour-only').textContent()).toMatch(/^Colourize learns from colour photos, and all 5 photos in .*prints are black-and-white or toned/);
    expect(await start.isEnabled()).toBe(false);
    expect(await page.getByTestId('training-problem').textContent()).toBe('Too few colour photos to learn colourizing from (above).');
    await shot('training-colourize-gray-folder');
    // Back as it was for the next test.
    await setup.getByRole('button', { name: `Remove ${path.join(dir, 'prints')}` }).click();
    await setup.getByRole('combobox', { name: 'What to improve' }).click();
    await page.getByRole('option', { name: 'Reduce noise (colour photos)' }).click();
    await expect.poll(() => page.getByTestId('training-scan').count()).toBe(0);
  });

  it('trains on a picked folder, shows the charts and preview, adopts, and the model restores a photo', async () => {
    await page.getByRole('button', { name: 'Training', exact: true }).click();
    const setup = page.getByRole('region', { name: 'Training setup' });
    await setup.waitFor();
    await setup.getByRole('button', { name: 'Add folder…' }).click();
    const picker = page.getByRole('dialog', { name: 'Choose a folder of your photos' });
    await picker.getByText(dir, { exact: true }).click();
    await picker.getByText('photos', { exact: true }).click();
    await picker.getByRole('button', { name: 'Choose this folder' }).click();
    await expect.poll(() => page.getByTestId('training-scan').textContent()).toMatch(/^Found 6 photos, \d+\.\d megapixels\.$/);
    await setup.getByLabel('My photos are clean: add noise to them and learn to remove it').check();
    await setup.getByLabel('Until it stops improving on the held-out photos').check();
    await setup.getByLabel('Name of the new model (optional)').fill('E2E grain');
    await shot('training-setup');
    await setup.getByRole('button', { name: 'Start training' }).click();

    // Training: the loss chart fills, validations appear against the base line, the preview refreshes.
    const progress = page.getByRole('region', { name: 'Training progress' }).first();
    await progress.waitFor();
    await expect.poll(async () => Number(await page.getByTestId('loss-chart').first().getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThan(3);
    await expect.poll(async () => Number(await page.getByTestId('training-preview').first().getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('psnr-chart').first().getAttribute('data-points'))).toBeGreaterThan(0);
    expect(await page.getByTestId('held-out').first().textContent()).toMatch(/\.png/);
    expect(await page.getByTestId('training-stats').first().textContent()).toMatch(/steps\/s/);
    await shot('training-running');

    // The result card: base vs fine-tuned per held-out photo, adopt under the name.
    const result = page.getByRole('region', { name: 'Training result' });
    await result.waitFor({ timeout: 90_000 });
    await expect.poll(() => page.getByTestId('training-outcome').textContent()).toMatch(/beats test-denoise-color/);
    expect(await page.getByTestId('training-gain').textContent()).toMatch(/^\+\d+\.\d\d dB$/);
    // scored on fresh crops, not on the validation crops that picked the checkpoint
    expect(await page.getByTestId('training-measure').textContent()).toMatch(/^Scored on 16 fresh crops of each held-out photo: other places/);
    await shot('training-result');
    await result.getByRole('button', { name: 'Adopt' }).click();
    await expect.poll(() => page.getByTestId('training-adopted').textContent()).toMatch(/Installed as “E2E grain” \(e2e-grain\)/);
    await shot('training-adopted');

    // Models: listed as the user's, with its lineage.
    await page.getByRole('button', { name: 'Models', exact: true }).click();
    await expect.poll(() => page.getByTestId('lineage-e2e-grain').textContent()).toMatch(/test-denoise-color → E2E grain.*fine-tuned on .*photos/);
    await shot('models-lineage');

    // Restore: in the step's model picker, and used by default for a photo.
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    const step = page.getByTestId('step-denoise');
    await step.getByRole('combobox').last().click();
    await expect.poll(() => page.getByRole('option', { name: 'E2E grain' }).count()).toBe(1);
    await page.keyboard.press('Escape');
    const bytes = (await fs.readFile(path.join(dir, 'photos', (await fs.readdir(path.join(dir, 'photos')))[0]!))).toString('base64');
    const dt = await page.evaluateHandle(`(() => {
      const data = Uint8Array.from(atob('${bytes}'), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], 'photo.png', { type: 'image/png' }));
      return transfer;
    })()`);
    await page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer: dt });
    await page.getByTestId('image-info').waitFor();
    await page.getByRole('complementary', { name: 'Restoration settings' }).getByRole('button', { name: 'Restore', exact: true }).click();
    await page.getByTestId('result-info').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('result-info').textContent()).toMatch(/e2e-grain/);
  });
});
