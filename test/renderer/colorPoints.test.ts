// Pure logic behind the Colourize step's colour points: the pointer-to-pixel mapping (original
// photo pixels whatever the zoom), the point operations and hints, the ring colour, and the
// editor reducer (add, select, recolour as one undo step, move, delete, undo/redo, clear, reset).
import { describe, expect, it } from 'vitest';
import { contrastColor, pointerToPixel, toHints, SWATCHES, isHexColor, DEFAULT_POINT_COLOR, isAutomaticColour } from '../../renderer/src/lib/colorPoints';
import { canRedoPoints, canUndoPoints, createPointsEditor, editPoints, pointsOf, selectedOf, type PointsAction, type PointsEditor } from '../../renderer/src/lib/pointsEditor';
import { createHistory, current, push, redo, replace, undo } from '../../renderer/src/lib/history';
import { fitViewport, zoomAt } from '../../renderer/src/lib/viewport';

const run = (actions: PointsAction[], s: PointsEditor = createPointsEditor()): PointsEditor => actions.reduce(editPoints, s);

describe('pointerToPixel', () => {
  it('maps a click to the original pixel under it at any zoom', () => {
    const image = { width: 3000, height: 2000 };
    const view = { width: 1000, height: 700 };
    // The image's on-screen rectangle is what getBoundingClientRect gives for the transformed layer.
    const rectOf = (v: { scale: number; x: number; y: number }) => ({ left: 50 + v.x, top: 80 + v.y, width: image.width * v.scale, height: image.height * v.scale });
    const fitted = fitViewport(image, view);
    const zoomed = zoomAt(fitted, 7.3, 400, 300);
    for (const v of [fitted, zoomed]) {
      const r = rectOf(v);
      // Centre of pixel (1234, 567) on screen.
      const sx = r.left + (1234.5 / image.width) * r.width;
      const sy = r.top + (567.5 / image.height) * r.height;
      expect(pointerToPixel(sx, sy, r, image.width, image.height)).toEqual({ x: 1234, y: 567 });
    }
  });
  it('clamps to the image (a click on the last pixel\'s far edge)', () => {
    const r = { left: 10, top: 10, width: 100, height: 50 };
    expect(pointerToPixel(110, 60, r, 200, 100)).toEqual({ x: 199, y: 99 });
    expect(pointerToPixel(0, 0, r, 200, 100)).toEqual({ x: 0, y: 0 });
  });
});

describe('colour points', () => {
  it('sends points as lower-case hints without ids', () => {
    expect(toHints([{ id: 3, x: 1, y: 2, color: '#AABBCC' }])).toEqual([{ x: 1, y: 2, color: '#aabbcc' }]);
  });
  it('rings light colours in black and dark ones in white', () => {
    expect(contrastColor('#f0c8aa')).toBe('#000000');
    expect(contrastColor('#24335f')).toBe('#ffffff');
  });
  it('offers valid, distinct swatches including skin tones, sky and foliage', () => {
    expect(SWATCHES.every((s) => isHexColor(s.color) && s.color === s.color.toLowerCase())).toBe(true);
    expect(new Set(SWATCHES.map((s) => s.color)).size).toBe(SWATCHES.length);
    for (const name of ['Sky blue', 'Foliage green', 'Light skin', 'Medium skin', 'Dark skin', 'Brick red', 'Wood brown', 'Navy']) {
      expect(SWATCHES.map((s) => s.name)).toContain(name);
    }
  });
});

describe('history.replace', () => {
  it('amends the newest snapshot, and pushes when there is none or after an undo', () => {
    let h = createHistory<string>();
    h = replace(h, 'a');
    expect(current(h)).toBe('a');
    h = replace(push(h, 'b'), 'c');
    expect(h.items).toEqual(['a', 'c']);
    h = replace(undo(h), 'd');
    expect(h.items).toEqual(['a', 'd']);
    expect(current(redo(h))).toBe('d');
  });
});

describe('points editor', () => {
  it('adds points with the picker colour and selects the new one', () => {
    const s = run([{ type: 'add', x: 10, y: 20 }, { type: 'color', color: '#ff0000' }]);
    // The new point is selected, so the picker recoloured it.
    expect(pointsOf(s)).toEqual([{ id: 1, x: 10, y: 20, color: '#ff0000' }]);
    const t = run([{ type: 'select', id: null }, { type: 'color', color: '#00ff00' }, { type: 'add', x: 5, y: 6 }], s);
    expect(pointsOf(t)).toEqual([
      { id: 1, x: 10, y: 20, color: '#ff0000' },
      { id: 2, x: 5, y: 6, color: '#00ff00' },
    ]);
    expect(selectedOf(t)?.id).toBe(2);
    expect(createPointsEditor().color).toBe(DEFAULT_POINT_COLOR);
  });
  it('selecting a point shows its colour in the picker', () => {
    const s = run([{ type: 'color', color: '#112233' }, { type: 'add', x: 1, y: 1 }, { type: 'select', id: null }, { type: 'color', color: '#445566' }, { type: 'select', id: 1 }]);
    expect(s.color).toBe('#112233');
    expect(pointsOf(s)[0]!.color).toBe('#112233');
  });
  it('recolouring a point through many picker colours is one undo step', () => {
    const s = run([{ type: 'add', x: 1, y: 1 }, { type: 'color', color: '#100000' }, { type: 'color', color: '#200000' }, { type: 'color', color: '#300000' }]);
    expect(pointsOf(s)[0]!.color).toBe('#300000');
    const back = editPoints(s, { type: 'undo' });
    expect(pointsOf(back)).toEqual([{ id: 1, x: 1, y: 1, color: DEFAULT_POINT_COLOR }]);
    expect(pointsOf(editPoints(back, { type: 'redo' }))[0]!.color).toBe('#300000');
  });
  it('moves, deletes the selected point, undoes and redoes each edit', () => {
    const s0 = run([{ type: 'add', x: 1, y: 1 }, { type: 'add', x: 50, y: 60 }, { type: 'move', id: 1, x: 7, y: 8 }]);
    expect(pointsOf(s0).map((p) => [p.x, p.y])).toEqual([[7, 8], [50, 60]]);
    // A "move" to where the point already is changes nothing (no history entry).
    expect(editPoints(s0, { type: 'move', id: 1, x: 7, y: 8 })).toBe(s0);
    const s1 = run([{ type: 'select', id: 2 }, { type: 'remove-selected' }], s0);
    expect(pointsOf(s1).map((p) => p.id)).toEqual([1]);
    expect(selectedOf(s1)).toBeNull();
    expect(editPoints(s1, { type: 'remove-selected' })).toBe(s1);
    const u1 = editPoints(s1, { type: 'undo' });
    expect(pointsOf(u1)).toHaveLength(2);
    const u2 = editPoints(u1, { type: 'undo' });
    expect(pointsOf(u2).map((p) => [p.x, p.y])).toEqual([[1, 1], [50, 60]]);
    expect(canRedoPoints(u2)).toBe(true);
    const empty = run([{ type: 'undo' }, { type: 'undo' }], u2);
    expect(pointsOf(empty)).toEqual([]);
    expect(canUndoPoints(empty)).toBe(false);
    expect(editPoints(empty, { type: 'undo' })).toBe(empty);
    expect(pointsOf(run([{ type: 'redo' }, { type: 'redo' }, { type: 'redo' }, { type: 'redo' }], empty)).map((p) => p.id)).toEqual([1]);
  });
  it('clears as one undoable step and resets to nothing for another photo', () => {
    const s = run([{ type: 'add', x: 1, y: 1 }, { type: 'add', x: 2, y: 2 }, { type: 'clear' }]);
    expect(pointsOf(s)).toEqual([]);
    expect(pointsOf(editPoints(s, { type: 'undo' }))).toHaveLength(2);
    expect(editPoints(s, { type: 'clear' })).toBe(s);
    const r = run([{ type: 'undo' }, { type: 'color', color: '#abcdef' }, { type: 'reset' }], s);
    expect(pointsOf(r)).toEqual([]);
    expect(canUndoPoints(r) || canRedoPoints(r)).toBe(false);
    expect(r.selectedId).toBeNull();
  });
});

describe('isAutomaticColour (the source of the "Colours here" swatches)', () => {
  const colorize = (settings: Record<string, number | string>) => ({ task: 'colorize' as const, model: 'colorize', settings });
  it('takes a whole-photo result colourized without points', () => {
    expect(isAutomaticColour({ steps: [colorize({ hints: 0, saturation: 1 })] })).toBe(true);
    expect(isAutomaticColour({ steps: [{ task: 'denoise', model: 'd', settings: { sigma: 5 } }, colorize({ hints: 0 })] })).toBe(true);
  });
  it('not one made with points, a 1:1 region, a colour photo passed through, or no Colourize step', () => {
    expect(isAutomaticColour({ steps: [colorize({ hints: 2 })] })).toBe(false);
    expect(isAutomaticColour({ steps: [colorize({ hints: 0 })], region: { x: 0, y: 0, width: 10, height: 10 } })).toBe(false);
    expect(isAutomaticColour({ steps: [colorize({ skipped: 'colour photo' })] })).toBe(false);
    expect(isAutomaticColour({ steps: [{ task: 'denoise', model: 'd', settings: { sigma: 5 } }] })).toBe(false);
  });
});
