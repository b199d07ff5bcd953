// Colours to offer for a colour point, from what the automatic colourization put at that pixel
// (the Restore view reads it from the automatic result in the browser, renderer/src/lib/photoPixels).
// Our colourizer regresses one colour per pixel, so it cannot list several likely colours; what it
// gives is a plausible hue that is often muted (brown, olive, blue-gray: models/cards/colorize.md).
// So the swatches are that colour as the model made it and two livelier versions of the same hue
// (its Lab chroma x1.5 and x2, and at least CHROMA_FLOOR: on real prints the model often leaves a
// sky or a dress nearly gray, its hue only hinted), each at the pixel's own lightness: what a point
// of that swatch makes of the photo, since a point keeps the photo's L and takes only the colour's a
// and b. A livelier version is pulled back toward the model's colour until it fits in sRGB, so the
// hue stays, and is left out when less than MIN_GAIN of the chroma fits.
import { rgbToHex } from '../engine/color/hints';
import { labToSrgb, srgbToLab } from '../engine/color/lab';

export interface ColourSuggestion { name: string; color: string }

/** Chroma below which the automatic colour is gray: no hue to make livelier (8-bit rounding alone moves a gray by ~1). */
export const GRAY_CHROMA = 2;
/** Chroma factors of the livelier swatches. */
export const LIVELIER = [1.5, 2] as const;
/** Least chroma of each livelier swatch: a near-gray colour's hue made visible (Lab; a blue sky ~20-35). */
export const CHROMA_FLOOR = [15, 30] as const;

/** Least chroma gain of a livelier swatch that is offered (a colour at the edge of sRGB has no room). */
export const MIN_GAIN = 1.15;

const hex = (rgb: readonly number[]): string => rgbToHex(rgb[0]!, rgb[1]!, rgb[2]!);

/** The sRGB colour (0-1) of Lab (L, a, b), or null when it lies outside sRGB by more than rounding. */
function inGamut(L: number, a: number, b: number): number[] | null {
  const rgb = [0, 0, 0];
  labToSrgb(L, a, b, rgb);
  const back = [0, 0, 0];
  srgbToLab(rgb[0]!, rgb[1]!, rgb[2]!, back);
  return Math.hypot(back[1]! - a, back[2]! - b) <= 1.5 ? rgb : null;
}

/**
 * Swatches for a point where the automatic result has the colour `rgb` (0-255): the model's colour,
 * then (unless it is gray) the same hue livelier, at least CHROMA_FLOOR. Duplicates (a colour already at the edge of
 * sRGB) are dropped.
 */
export function suggestedColours(rgb: readonly [number, number, number]): ColourSuggestion[] {
  const lab = [0, 0, 0];
  srgbToLab(rgb[0] / 255, rgb[1] / 255, rgb[2] / 255, lab);
  const [L, a, b] = lab as [number, number, number];
  const out: ColourSuggestion[] = [{ name: 'As colourized here', color: hex(rgb.map((v) => v / 255)) }];
  const chroma = Math.hypot(a, b);
  if (chroma < GRAY_CHROMA) return out;
  for (const [i, k] of LIVELIER.entries()) {
    const most = Math.max(k, CHROMA_FLOOR[i]! / chroma);
    let shown: number[] | null = null;
    for (let s = most; s >= MIN_GAIN - 1e-9 && !shown; s -= 0.05 * Math.max(1, most / k)) shown = inGamut(L, a * s, b * s);
    if (!shown) continue;
    const color = hex(shown);
    if (out.some((o) => o.color === color)) continue;
    out.push({ name: i === 0 ? 'Livelier' : 'Vivid', color });
  }
  return out;
}
