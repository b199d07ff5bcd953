// Remembers the window's size, position and maximised state between runs (userData/window.json).
// restoreBounds() is pure: saved bounds are used only when they still fit on a connected display,
// else the default size is centred by Electron.
import { promises as fs } from 'node:fs';
import type { Rectangle } from './electronTypes';

export interface WindowState {
  bounds?: Rectangle;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1360, height: 860 };
export const MIN_SIZE = { width: 1024, height: 700 };

function overlaps(a: Rectangle, b: Rectangle): boolean {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w >= 100 && h >= 50;
}

export function restoreBounds(saved: WindowState | null, workAreas: Rectangle[]): Partial<Rectangle> & { width: number; height: number } {
  const b = saved?.bounds;
  if (b && b.width >= MIN_SIZE.width && b.height >= MIN_SIZE.height && workAreas.some((w) => overlaps(b, w))) return { ...b };
  return { ...DEFAULT_SIZE };
}

export async function loadWindowState(file: string): Promise<WindowState | null> {
  try {
    const raw = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<WindowState>;
    const b = raw.bounds;
    const valid = b && [b.x, b.y, b.width, b.height].every((n) => Number.isFinite(n));
    return { maximized: raw.maximized === true, ...(valid ? { bounds: b } : {}) };
  } catch {
    return null;
  }
}

export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  const tmp = `${file}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(state));
  await fs.rename(tmp, file);
}
