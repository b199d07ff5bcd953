// Settings persistence: defaults when missing, round trip, validation of patches, and recovery of
// the valid fields from an outdated or damaged file (real files in a temporary folder).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from './contract';
import { SettingsStore } from './settingsStore';

const dir = mkdtempSync(path.join(os.tmpdir(), 'settings-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SettingsStore', () => {
  it('gives the defaults when there is no file, then saves updates atomically', async () => {
    const file = path.join(dir, 'a', 'settings.json');
    const store = new SettingsStore(file);
    expect(await store.get()).toEqual(DEFAULT_SETTINGS);
    const next = await store.update({ provider: 'cuda', threads: 4 });
    expect(next).toMatchObject({ version: 1, provider: 'cuda', threads: 4, tile: 0 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(next);
    expect(await new SettingsStore(file).get()).toEqual(next);
  });
  it('rejects invalid values', async () => {
    const store = new SettingsStore(path.join(dir, 'b.json'));
    await expect(store.update({ threads: -1 })).rejects.toThrow();
    await expect(store.update({ provider: 'tpu' as never })).rejects.toThrow();
    expect(await store.get()).toEqual(DEFAULT_SETTINGS);
  });
  it('keeps the valid fields of a damaged or older file and says so', async () => {
    const file = path.join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ version: 0, provider: 'cpu', threads: 'many', theme: 'light' }));
    const warnings: string[] = [];
    const s = await new SettingsStore(file, (m) => warnings.push(m)).get();
    expect(s).toMatchObject({ version: 1, provider: 'cpu', threads: 0, theme: 'light' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    writeFileSync(file, '{not json');
    const w2: string[] = [];
    expect(await new SettingsStore(file, (m) => w2.push(m)).get()).toEqual(DEFAULT_SETTINGS);
    expect(w2[0]).toMatch(/unreadable settings/);
  });
});
