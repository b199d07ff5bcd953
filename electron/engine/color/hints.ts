// Colour points ("hints") of guided colourization: parsing a hints file (a JSON array of
// {"x", "y", "color": "#rrggbb", "radius"?} in the input's pixel coordinates), taking only the
// colour's chroma (Lab a, b), and rendering points as the model's hint planes: a disc of the
// point's ab / 128 in `hint_ab` and 1 in `hint_mask`, at the model's working resolution. The
// same renderer serves the engine, training (hints sampled from the ground truth) and evaluation.
import { srgbToLab } from './lab';

export interface ColorHint {
  /** Input pixel coordinates (0 = left/top edge of the first pixel's centre). */
  x: number;
  y: number;
  /** "#rrggbb". */
  color: string;
  /** Disc radius in input pixels (default: DEFAULT_HINT_RADIUS working pixels). */
  radius?: number;
}

/** A hint in working-resolution pixels with its chroma. */
export interface AbPoint { x: number; y: number; a: number; b: number; radius: number }

/** Default disc radius in working-resolution pixels (a 5 x 5 disc). */
export const DEFAULT_HINT_RADIUS = 2;
export const MAX_HINTS = 1000;

const HEX = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i;

/** Lab a and b of an sRGB "#rrggbb" colour (its lightness is dropped). */
export function hexToAb(hex: string): { a: number; b: number } {
  const m = HEX.exec(hex);
  if (!m) throw new Error(`"${hex}" is not a colour of the form #rrggbb`);
  const lab = [0, 0, 0];
  srgbToLab(parseInt(m[1]!, 16) / 255, parseInt(m[2]!, 16) / 255, parseInt(m[3]!, 16) / 255, lab);
  return { a: lab[1]!, b: lab[2]! };
}

/** "#rrggbb" of sRGB values in [0, 1]. */
export function rgbToHex(r: number, g: number, b: number): string {
  const h = (v: number): string => Math.round(Math.min(1, Math.max(0, v)) * 255).toString(16).padStart(2, '0');
  return `#${h(r)}${h(g)}${h(b)}`;
}

/**
 * Validates parsed JSON as a hints list for an image of `width` x `height`; throws an Error whose
 * message names the first problem (entry index and field).
 */
export function validateHints(value: unknown, width: number, height: number): ColorHint[] {
  if (!Array.isArray(value)) throw new Error('hints must be a JSON array of {"x", "y", "color"} objects');
  if (value.length > MAX_HINTS) throw new Error(`${value.length} hints (at most ${MAX_HINTS})`);
  return value.map((v: unknown, i) => {
    const at = `hint ${i + 1}`;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${at}: not an object`);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!['x', 'y', 'color', 'radius'].includes(k)) throw new Error(`${at}: unknown field "${k}"`);
    const { x, y, color, radius } = o;
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`${at}: "x" must be a number`);
    if (typeof y !== 'number' || !Number.isFinite(y)) throw new Error(`${at}: "y" must be a number`);
    if (x < 0 || y < 0 || x > width - 1 || y > height - 1) {
      throw new Error(`${at}: point (${x}, ${y}) is outside the image (${width} x ${height} pixels)`);
    }
    if (typeof color !== 'string' || !HEX.test(color)) throw new Error(`${at}: "color" must be "#rrggbb" (got ${JSON.stringify(color)})`);
    if (radius !== undefined && (typeof radius !== 'number' || !Number.isFinite(radius) || radius < 0 || radius > Math.max(width, height))) {
      throw new Error(`${at}: "radius" must be a number from 0 to the image size`);
    }
    return { x, y, color, ...(radius !== undefined ? { radius } : {}) };
  });
}

/** Parses a hints file's text (see validateHints); a leading byte-order mark (Windows Notepad's
 * UTF-8) is skipped. */
export function parseHints(text: string, width: number, height: number): ColorHint[] {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new Error(`not valid JSON (${(e as Error).message})`, { cause: e });
  }
  return validateHints(value, width, height);
}

/** Maps input-pixel hints to working-resolution points (scale k = working / input size). */
export function hintsToWorking(hints: readonly ColorHint[], k: number, sw: number, sh: number): AbPoint[] {
  return hints.map((h) => {
    const { a, b } = hexToAb(h.color);
    return {
      x: Math.min(sw - 1, Math.max(0, Math.round((h.x + 0.5) * k - 0.5))),
      y: Math.min(sh - 1, Math.max(0, Math.round((h.y + 0.5) * k - 0.5))),
      a, b,
      radius: h.radius !== undefined ? h.radius * k : DEFAULT_HINT_RADIUS,
    };
  });
}

/** Hint planes of a w x h working image: ab / 128 (2 planes) and the mask; later points win. */
export function renderHints(points: readonly AbPoint[], w: number, h: number): { ab: Float32Array; mask: Float32Array } {
  const ab = new Float32Array(2 * w * h);
  const mask = new Float32Array(w * h);
  for (const p of points) {
    const r = Math.max(0, p.radius);
    const ri = Math.floor(r);
    const r2 = r * r + 1e-6;
    for (let dy = -ri; dy <= ri; dy++) {
      const y = p.y + dy;
      if (y < 0 || y >= h) continue;
      for (let dx = -ri; dx <= ri; dx++) {
        const x = p.x + dx;
        if (x < 0 || x >= w || dx * dx + dy * dy > r2) continue;
        const i = y * w + x;
        ab[i] = p.a / 128;
        ab[w * h + i] = p.b / 128;
        mask[i] = 1;
      }
    }
  }
  return { ab, mask };
}
