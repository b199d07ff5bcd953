// React state of the open photo's colour points (the pure editor in lib/pointsEditor: undo/redo
// history, selection, picker colour). Every change of the points calls `onEdit` (the Restore view
// schedules a preview); reset() forgets the points when another photo is opened. `initial`: the
// points of a saved session.
import { useRef, useState } from 'react';
import type { ColorPoint, Points } from '../lib/colorPoints';
import { canRedoPoints, canUndoPoints, editPoints, pointsEditorWith, pointsOf, selectedOf, type PointsAction, type PointsEditor } from '../lib/pointsEditor';

export interface ColorPointsState {
  points: Points;
  selected: ColorPoint | null;
  color: string;
  canUndo: boolean;
  canRedo: boolean;
  add(x: number, y: number): void;
  move(id: number, x: number, y: number): void;
  select(id: number | null): void;
  /** Picker or swatch: the next point's colour, and the selected point's. */
  setColor(color: string): void;
  removeSelected(): void;
  clear(): void;
  undo(): void;
  redo(): void;
  reset(): void;
}

export function useColorPoints(onEdit: () => void, initial: Points = []): ColorPointsState {
  const [state, setState] = useState<PointsEditor>(() => pointsEditorWith(initial));
  // The latest state, so that events arriving before a re-render (a fast drag) build on each other.
  const latest = useRef(state);
  const apply = (action: PointsAction): void => {
    const before = latest.current;
    const next = editPoints(before, action);
    if (next === before) return;
    latest.current = next;
    setState(next);
    if (action.type !== 'reset' && pointsOf(next) !== pointsOf(before)) onEdit();
  };
  return {
    points: pointsOf(state),
    selected: selectedOf(state),
    color: state.color,
    canUndo: canUndoPoints(state),
    canRedo: canRedoPoints(state),
    add: (x, y) => apply({ type: 'add', x, y }),
    move: (id, x, y) => apply({ type: 'move', id, x, y }),
    select: (id) => apply({ type: 'select', id }),
    setColor: (color) => apply({ type: 'color', color }),
    removeSelected: () => apply({ type: 'remove-selected' }),
    clear: () => apply({ type: 'clear' }),
    undo: () => apply({ type: 'undo' }),
    redo: () => apply({ type: 'redo' }),
    reset: () => apply({ type: 'reset' }),
  };
}
