// Bounded undo/redo history of snapshots (mask strokes). Pure and generic: push after each
// stroke, undo/redo move a cursor, a push after undo drops the redo branch.
export interface History<T> {
  readonly items: readonly T[];
  /** Index of the current snapshot; -1 = empty (the initial state). */
  readonly index: number;
  readonly limit: number;
}

export function createHistory<T>(limit = 40): History<T> {
  return { items: [], index: -1, limit };
}

export function push<T>(h: History<T>, item: T): History<T> {
  const items = [...h.items.slice(0, h.index + 1), item];
  const overflow = Math.max(0, items.length - h.limit);
  return { items: items.slice(overflow), index: items.length - 1 - overflow, limit: h.limit };
}

export const canUndo = <T>(h: History<T>): boolean => h.index >= 0;
export const canRedo = <T>(h: History<T>): boolean => h.index < h.items.length - 1;

export function undo<T>(h: History<T>): History<T> {
  return canUndo(h) ? { ...h, index: h.index - 1 } : h;
}
export function redo<T>(h: History<T>): History<T> {
  return canRedo(h) ? { ...h, index: h.index + 1 } : h;
}
/** The snapshot to show, or undefined for the initial (empty) state. */
export function current<T>(h: History<T>): T | undefined {
  return h.index >= 0 ? h.items[h.index] : undefined;
}
