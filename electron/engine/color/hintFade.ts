// A colour point's effect on the network's answer, faded out before the network's receptive field
// ends. The colourizer carries a point's colour over the whole square its receptive field spans
// (459 px of its 512-px working image) and not a pixel further, so one point left a straight seam
// about half a photo away: a pale-blue sky point on LoC Lawrence_468 turned the cliff below it
// gray-blue up to a vertical line. The answer with the points is blended into the answer without
// them by a Gaussian of the distance to the nearest point, sigma a third of the receptive field:
// near a point the network's answer is kept, at the field's edge 0.3 of its change is left, so
// the seam fades instead of cutting across. (With 1-100 points sampled from the references, whose
// colour the network spreads well, CBSD68 loses 0.01-0.08 dB, McMaster -0.01 to +0.09: card.)
import { propagatePoints } from './propagate';

/** Sigma of the fade as a share of the receptive field. */
export const HINT_FADE_SHARE = 1 / 3;

/**
 * Blends `hinted` (the network's ab with the points, 2 planes of w x h) into `automatic` (its ab
 * without them) in place: hinted = automatic + exp(-d² / 2 sigma²) (hinted - automatic), d the
 * distance to the nearest point (working pixels).
 */
export function fadeHintResponse(hinted: Float32Array, automatic: Float32Array, w: number, h: number, points: readonly { x: number; y: number }[], sigma: number): void {
  const n = w * h;
  if (hinted.length !== 2 * n || automatic.length !== 2 * n) throw new Error(`fadeHintResponse: planes do not match ${w} x ${h}`);
  if (points.length === 0) return;
  const k = 1 / (2 * sigma * sigma);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let d2 = Infinity;
      for (const p of points) {
        const dx = p.x - x, dy = p.y - y;
        const d = dx * dx + dy * dy;
        if (d < d2) d2 = d;
      }
      const g = Math.exp(-d2 * k);
      const i = y * w + x;
      hinted[i] = automatic[i]! + g * (hinted[i]! - automatic[i]!);
      hinted[n + i] = automatic[n + i]! + g * (hinted[n + i]! - automatic[n + i]!);
    }
  }
}

/**
 * What follows the network when there are colour points, for the engine and `restore eval` alike:
 * the points' effect faded against the network's answer without them (with the model's receptive
 * field; unknown: not faded), then their colour spread over their regions (propagate.ts). In place on `ab`.
 */
export function applyColorPoints(
  ab: Float32Array, automatic: Float32Array, luma: Float32Array, w: number, h: number,
  points: readonly { x: number; y: number }[], planes: { ab: Float32Array; mask: Float32Array }, receptiveField: number | undefined,
): void {
  if (receptiveField) fadeHintResponse(ab, automatic, w, h, points, receptiveField * HINT_FADE_SHARE);
  propagatePoints(ab, luma, w, h, planes);
}
