// What the Export dialog remembers between exports (in this browser's / window's localStorage):
// the format, quality, metadata switch and, in the web shell, the folder last saved into. The
// bit depth is not remembered: it follows the photo (a 16-bit scan exports in 16 bits by
// default) unless the settings ask for 16. Bad or missing stored values fall back to the defaults.
import type { ExportOptions } from '@api/contract';

export type ExportFormat = 'png' | 'jpg' | 'tif' | 'webp';
export interface ExportChoice {
  format: ExportFormat;
  quality: number;
  keepMetadata: boolean;
  folder?: string;
}

const KEY = 'restore.export';
const FORMATS: readonly ExportFormat[] = ['png', 'jpg', 'tif', 'webp'];

/** The part of the Web Storage API used here (typed locally: the module is also tested under Node). */
interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function storage(): KeyValueStore | null {
  try {
    return (globalThis as { localStorage?: KeyValueStore }).localStorage ?? null;
  } catch {
    return null; // storage disabled
  }
}

/** The remembered choice over the settings' output defaults. */
export function loadExportChoice(defaults: ExportOptions): ExportChoice {
  const base: ExportChoice = { format: defaults.format === 'same' ? 'png' : defaults.format, quality: defaults.quality ?? 92, keepMetadata: defaults.keepMetadata ?? true };
  let saved: Partial<ExportChoice>;
  try {
    saved = JSON.parse(storage()?.getItem(KEY) ?? '{}') as Partial<ExportChoice>;
  } catch {
    return base;
  }
  return {
    format: FORMATS.includes(saved.format as ExportFormat) ? (saved.format as ExportFormat) : base.format,
    quality: typeof saved.quality === 'number' && saved.quality >= 1 && saved.quality <= 100 ? Math.round(saved.quality) : base.quality,
    keepMetadata: typeof saved.keepMetadata === 'boolean' ? saved.keepMetadata : base.keepMetadata,
    ...(typeof saved.folder === 'string' && saved.folder ? { folder: saved.folder } : {}),
  };
}

export function saveExportChoice(choice: ExportChoice): void {
  try {
    storage()?.setItem(KEY, JSON.stringify(choice));
  } catch {
    // full or disabled storage: nothing is remembered
  }
}

/** The default bit depth of an export where the format holds 16 bits: 16 for a 16-bit photo or when the settings ask for 16. */
export function defaultDepth(photoDepth: 8 | 16, format: ExportFormat, settingsDepth: 8 | 16 = 8): 8 | 16 {
  return (format === 'png' || format === 'tif') && (photoDepth === 16 || settingsDepth === 16) ? 16 : 8;
}
