// Pure logic behind the Restore view's viewer and mask: zoom/pan arithmetic, the bounded undo
// history and vector mask strokes (replayed onto a recording surface).
import { describe, expect, it } from 'vitest';
import { actualSize, fitViewport, panBy, toImage, wheelFactor, zoomAt, MAX_SCALE } from '../../renderer/src/lib/viewport';
import { canRedo, canUndo, createHistory, current, push, redo, undo } from '../../renderer/src/lib/history';
import { drawStrokes, hasPaint, visibleStrokes, type DrawTarget, type Stroke } from '../../renderer/src/lib/strokes';

describe('viewport', () => {
  const image = { width: 2000, height: 1000 };
  const view = { width: 1032, height: 632 };
  it('fits the whole image centred, enlarging a small one to the view (issue 16: Fit never enlarged)', () => {
    const v = fitViewport(image, view);
    expect(v.scale).toBeCloseTo(0.5);
    expect(v.x).toBeCloseTo(16);
    expect(v.y).toBeCloseTo((632 - 500) / 2);
    const small = fitViewport({ width: 100, height: 50 }, view);
    expect(small.scale).toBeCloseTo(10); // (1032 - 32) / 100, the width limits
    expect(small.x).toBeCloseTo(16);
    expect(actualSize(image, view)).toEqual({ scale: 1, x: (1032 - 2000) / 2, y: (632 - 1000) / 2 });
  });
  it('zooms about the cursor: the image point under it stays put', () => {
    const v = fitViewport(image, view);
    const before = toImage(v, 700, 300);
    const z = zoomAt(v, 3, 700, 300);
    expect(z.scale).toBeCloseTo(1.5);
    const after = toImage(z, 700, 300);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
    expect(zoomAt(v, 1e6, 0, 0).scale).toBe(MAX_SCALE);
    expect(wheelFactor(-100)).toBeGreaterThan(1);
    expect(wheelFactor(100)).toBeLessThan(1);
  });
  it('pans but keeps part of the image on screen', () => {
    const v = { scale: 1, x: 0, y: 0 };
    expect(panBy(v, 30, -20, image, view)).toEqual({ scale: 1, x: 30, y: -20 });
    const far = panBy(v, -1e6, 1e6, image, view);
    expect(far.x).toBe(48 - 2000);
    expect(far.y).toBe(632 - 48);
  });
});

describe('history', () => {
  it('undoes, redoes, drops the redo branch on push and stays bounded', () => {
    let h = createHistory<number>(3);
    expect(canUndo(h)).toBe(false);
    h = push(push(h, 1), 2);
    expect(current(h)).toBe(2);
    h = undo(h);
    expect(current(h)).toBe(1);
    expect(canRedo(h)).toBe(true);
    h = push(h, 5);
    expect(h.items).toEqual([1, 5]);
    expect(canRedo(h)).toBe(false);
    h = push(push(push(h, 6), 7), 8);
    expect(h.items).toEqual([6, 7, 8]);
    h = undo(undo(undo(h)));
    expect(current(h)).toBeUndefined();
    expect(undo(h)).toBe(h);
    expect(current(redo(h))).toBe(6);
  });
});

class Recorder implements DrawTarget {
  globalCompositeOperation = 'source-over';
  strokeStyle: unknown = '';
  fillStyle: unknown = '';
  lineWidth = 1;
  lineCap = 'butt';
  lineJoin = 'miter';
  readonly ops: string[] = [];
  beginPath() {}
  moveTo(x: number, y: number) {
    this.ops.push(`M${x},${y}`);
  }
  lineTo(x: number, y: number) {
    this.ops.push(`L${x},${y}`);
  }
  arc(x: number, y: number, r: number) {
    this.ops.push(`A${x},${y},${r}`);
  }
  stroke() {
    this.ops.push(`S ${String(this.strokeStyle)} ${this.globalCompositeOperation} ${this.lineWidth}`);
  }
  fill() {
    this.ops.push(`F ${String(this.fillStyle)} ${this.globalCompositeOperation}`);
  }
  drawImage(image: object, dx: number, dy: number) {
    this.ops.push(`I ${String((image as { name?: string }).name)} ${dx},${dy} ${this.globalCompositeOperation}`);
  }
}

describe('mask strokes', () => {
  const brush: Stroke = { kind: 'brush', size: 10, points: [[1, 2], [3, 4]] };
  const eraser: Stroke = { kind: 'eraser', size: 4, points: [[3, 4]] };
  it('replays only what follows the last clear', () => {
    expect(visibleStrokes([brush, { kind: 'clear' }, eraser])).toEqual([eraser]);
    expect(hasPaint([brush, eraser])).toBe(true);
    expect(hasPaint([brush, { kind: 'clear' }])).toBe(false);
  });
  it('draws the engine mask in white with black erasures, the overlay with cut-outs', () => {
    const mask = new Recorder();
    drawStrokes(mask, [brush, eraser], 'mask');
    expect(mask.ops).toEqual(['M1,2', 'L3,4', 'S #ffffff source-over 10', 'A3,4,2', 'F #000000 source-over']);
    const overlay = new Recorder();
    drawStrokes(overlay, [brush, eraser], 'overlay', 'red');
    expect(overlay.ops).toEqual(['M1,2', 'L3,4', 'S red source-over 10', 'A3,4,2', 'F red destination-out']);
    expect(overlay.globalCompositeOperation).toBe('source-over');
  });
  it('draws found damage as its layer, edited by later strokes, and counts it as paint unless empty', () => {
    const found: Stroke = { kind: 'raster', overlay: { name: 'red' }, mask: { name: 'white' }, percent: 2.3 };
    const mask = new Recorder();
    mask.globalCompositeOperation = 'destination-out';
    drawStrokes(mask, [found, eraser], 'mask');
    expect(mask.ops).toEqual(['I white 0,0 source-over', 'A3,4,2', 'F #000000 source-over']);
    const overlay = new Recorder();
    drawStrokes(overlay, [brush, found, eraser], 'overlay', 'red');
    expect(overlay.ops).toEqual(['M1,2', 'L3,4', 'S red source-over 10', 'I red 0,0 source-over', 'A3,4,2', 'F red destination-out']);
    expect(hasPaint([found])).toBe(true);
    expect(hasPaint([{ ...found, percent: 0 }])).toBe(false);
    expect(hasPaint([found, { kind: 'clear' }])).toBe(false);
  });
});
