// Default settings (re-exported by contract.ts; validated by its SettingsSchema in tests and on
// load) and the session's bounds. Zod-free so the renderer can use them without bundling the
// schema library.
import type { Settings } from './contract';

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  provider: 'auto',
  threads: 0,
  tile: 0,
  theme: 'dark',
  output: { format: 'png', depth: 8, quality: 92, keepMetadata: true },
};

/** Rows of a batch run kept in the saved session (failures first; the view keeps more while it runs). */
export const SESSION_BATCH_ROWS = 2000;
