// Default settings (re-exported by contract.ts; validated by its SettingsSchema in tests and on
// load). Zod-free so the renderer's fake API can use it without bundling the schema library.
import type { Settings } from './contract';

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  provider: 'auto',
  threads: 0,
  tile: 0,
  theme: 'dark',
  output: { format: 'png', depth: 8, quality: 92, keepMetadata: true },
};
