// Bounded undo/redo history of snapshots (mask strokes, colour points). Pure and generic: push
// after each edit, undo/redo move a cursor, a push after undo drops the redo branch; replace
// amends the current snapshot (a colour picker dragged through many colours is one edit).
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

/** Replace the current snapshot (push when there is none, or when it is not the newest). */
export function replace<T>(h: History<T>, item: T): History<T> {
  if (h.index < 0 || h.index !== h.items.length - 1) return push(h, item);
  return { ...h, items: [...h.items.slice(0, h.index), item] };
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
