// The colour-point editor's state as a pure reducer: an undo/redo history of point lists
// (lib/history), the selected point and the picker's colour. The picker sets the next point's
// colour and recolours the selected point; recolouring one point several times in a row (dragging
// through the native picker) is one undo step. hooks/useColorPoints wraps it for React.
import { canRedo, canUndo, createHistory, current, push, redo, replace, undo, type History } from './history';
import { DEFAULT_POINT_COLOR, addPoint, movePoint, nextPointId, recolorPoint, removePoint, type ColorPoint, type Points } from './colorPoints';

export interface PointsEditor {
  history: History<Points>;
  selectedId: number | null;
  /** The picker's colour: the next point's, or the selected point's. */
  color: string;
  /** Key of the last edit when it may be amended ("color:<id>"), else null. */
  lastKey: string | null;
}

export type PointsAction =
  | { type: 'add'; x: number; y: number }
  | { type: 'move'; id: number; x: number; y: number }
  | { type: 'select'; id: number | null }
  | { type: 'color'; color: string }
  | { type: 'remove-selected' }
  | { type: 'clear' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'reset' };

const EMPTY: Points = [];
export const POINTS_HISTORY_LIMIT = 100;

export function createPointsEditor(color = DEFAULT_POINT_COLOR): PointsEditor {
  return { history: createHistory<Points>(POINTS_HISTORY_LIMIT), selectedId: null, color, lastKey: null };
}

/** An editor holding `points` (a saved session's): one undo step back is no points. */
export function pointsEditorWith(points: Points, color = DEFAULT_POINT_COLOR): PointsEditor {
  const editor = createPointsEditor(color);
  return points.length > 0 ? { ...editor, history: push(editor.history, points) } : editor;
}

export const pointsOf = (s: PointsEditor): Points => current(s.history) ?? EMPTY;
export const selectedOf = (s: PointsEditor): ColorPoint | null => pointsOf(s).find((p) => p.id === s.selectedId) ?? null;
export const canUndoPoints = (s: PointsEditor): boolean => canUndo(s.history);
export const canRedoPoints = (s: PointsEditor): boolean => canRedo(s.history);

/** A new list of points as a new undo step (or amending the last one when `key` repeats). */
function commit(s: PointsEditor, next: Points, key: string | null = null): PointsEditor {
  const amend = key !== null && key === s.lastKey;
  return { ...s, history: amend ? replace(s.history, next) : push(s.history, next), lastKey: key };
}

export function editPoints(s: PointsEditor, a: PointsAction): PointsEditor {
  const points = pointsOf(s);
  const selected = selectedOf(s);
  switch (a.type) {
    case 'add': {
      const id = nextPointId(points);
      return { ...commit(s, addPoint(points, { id, x: a.x, y: a.y, color: s.color })), selectedId: id };
    }
    case 'move': {
      const p = points.find((q) => q.id === a.id);
      return p && (p.x !== a.x || p.y !== a.y) ? commit(s, movePoint(points, a.id, a.x, a.y)) : s;
    }
    case 'select': {
      const p = points.find((q) => q.id === a.id);
      return { ...s, selectedId: p ? p.id : null, color: p ? p.color : s.color, lastKey: null };
    }
    case 'color': {
      const next = { ...s, color: a.color };
      return selected && selected.color !== a.color ? commit(next, recolorPoint(points, selected.id, a.color), `color:${selected.id}`) : next;
    }
    case 'remove-selected':
      return selected ? { ...commit(s, removePoint(points, selected.id)), selectedId: null } : s;
    case 'clear':
      return points.length > 0 ? { ...commit(s, EMPTY), selectedId: null } : s;
    case 'undo':
      return canUndo(s.history) ? { ...s, history: undo(s.history), lastKey: null } : s;
    case 'redo':
      return canRedo(s.history) ? { ...s, history: redo(s.history), lastKey: null } : s;
    case 'reset':
      return createPointsEditor(s.color);
  }
}
