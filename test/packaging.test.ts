// The packaging configuration (build/electron-builder.yml) and the fuses hook: native modules are
// unpacked from the asar, models ship as extra resources, every target of the issue is built, and
// the fuses follow Electron's security checklist.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, number> };

interface BuilderConfig {
  asar: boolean;
  asarUnpack: string[];
  files: string[];
  extraResources: Array<{ from: string; to: string }>;
  afterPack: string;
  win: { target: Array<{ target: string }> };
  mac: { target: Array<{ target: string }> };
  linux: { target: string[] };
}

describe('electron-builder configuration', () => {
  const config = yaml.load(readFileSync(path.join(root, 'build', 'electron-builder.yml'), 'utf8')) as BuilderConfig;
  it('unpacks onnxruntime-node and sharp (with @img) from the asar', () => {
    expect(config.asar).toBe(true);
    for (const m of ['node_modules/onnxruntime-node/**', 'node_modules/sharp/**', 'node_modules/@img/**']) expect(config.asarUnpack).toContain(m);
  });
  it('ships models as extra resources, not in the app bundle', () => {
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'models', to: 'models' }));
    expect(config.files.some((f) => f.startsWith('models'))).toBe(false);
  });
  it('builds NSIS, dmg, AppImage and deb', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg']);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });
  it('flips the fuses the security checklist recommends', () => {
    expect(config.afterPack).toBe('build/fuses.cjs');
    const { FUSES } = require(path.join(root, 'build', 'fuses.cjs')) as { FUSES: Record<number, boolean> };
    expect(FUSES[FuseV1Options.RunAsNode!]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable!]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeCliInspectArguments!]).toBe(false);
    expect(FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation!]).toBe(true);
    expect(FUSES[FuseV1Options.OnlyLoadAppFromAsar!]).toBe(true);
    expect(FUSES[FuseV1Options.EnableCookieEncryption!]).toBe(true);
    expect(FUSES[FuseV1Options.GrantFileProtocolExtraPrivileges!]).toBe(false);
  });
});
