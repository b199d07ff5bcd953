// Settings persisted as versioned JSON (the contract's SettingsSchema). A missing file gives the
// defaults; a corrupt or older file is reported once and replaced by defaults merged with whatever
// fields still validate; writes are atomic (temporary file + rename).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings, type SettingsPatch } from './contract';

export class SettingsStore {
  private current: Settings | null = null;

  constructor(
    readonly file: string,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  async get(): Promise<Settings> {
    if (this.current) return this.current;
    let raw: unknown;
    try {
      raw = JSON.parse(await fs.readFile(this.file, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`${this.file}: unreadable settings (${(e as Error).message}); using defaults`);
      this.current = { ...DEFAULT_SETTINGS };
      return this.current;
    }
    const parsed = SettingsSchema.safeParse(raw);
    if (parsed.success) {
      this.current = parsed.data;
    } else {
      this.warn(`${this.file}: settings do not match version ${DEFAULT_SETTINGS.version}; keeping the valid fields`);
      this.current = salvage(raw);
    }
    return this.current;
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const next = SettingsSchema.parse({ ...(await this.get()), ...patch, version: DEFAULT_SETTINGS.version });
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(next, null, 2) + '\n');
    await fs.rename(tmp, this.file);
    this.current = next;
    return next;
  }
}

/** Defaults, overlaid with each top-level field of `raw` that validates on its own. */
function salvage(raw: unknown): Settings {
  const out: Settings = { ...DEFAULT_SETTINGS };
  if (!raw || typeof raw !== 'object') return out;
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(SettingsSchema.shape) as Array<keyof Settings>) {
    if (key === 'version' || !(key in record)) continue;
    const field = SettingsSchema.shape[key].safeParse(record[key]);
    if (field.success) (out as Record<string, unknown>)[key] = field.data;
  }
  return out;
}
