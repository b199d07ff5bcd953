// Swatches for the selected colour point from the automatic colourization (@api/colorSuggestions):
// the latest whole-photo result of the open photo whose Colourize step ran without points is kept,
// with the Colourize settings it ran with (`colourKey`: the photo, model and saturation), and the
// colour it has under the selected point is read in the browser (lib/photoPixels). When a point is
// selected and there is none for the current settings (points placed first, a session reloaded with
// points, another model or saturation chosen since), `fetchAutomatic` is asked once per settings for
// an automatic preview, kept only as the swatches' source. Until it arrives (or when its pixels
// cannot be read) there are none.
import { useEffect, useRef, useState } from 'react';
import type { RestoreResult } from '@api/contract';
import { suggestedColours, type ColourSuggestion } from '@api/colorSuggestions';
import { isAutomaticColour, type ColorPoint } from '../lib/colorPoints';
import { meanColourAt } from '../lib/photoPixels';

/** How long the Colourize settings must stay unchanged before another automatic preview is asked for. */
const SETTLE_MS = 400;

export function useColourSuggestions(
  photo: { path: string; width: number; height: number } | null,
  /** The photo and the Colourize step's settings (model, saturation): an automatic colour belongs to one. */
  colourKey: string,
  result: RestoreResult | null,
  selected: ColorPoint | null,
  fetchAutomatic: () => Promise<RestoreResult | null>,
): ColourSuggestion[] {
  const [auto, setAuto] = useState<{ key: string; url: string } | null>(null);
  const [swatches, setSwatches] = useState<ColourSuggestion[]>([]);
  /** The settings an automatic preview was asked for (once each). */
  const asked = useRef<string | null>(null);
  /** The current settings, for answers that arrive after they changed. */
  const current = useRef(colourKey);
  current.current = colourKey;
  useEffect(() => {
    if (photo && result && isAutomaticColour(result)) setAuto({ key: current.current, url: result.image.url });
  }, [photo?.path, result]);
  const source = auto && photo && auto.key === colourKey ? auto.url : null;
  useEffect(() => {
    if (!photo || !selected || source || asked.current === colourKey) return;
    const key = colourKey;
    // Settled settings only: a saturation slider being dragged changes the key at every step.
    const timer = setTimeout(() => {
      asked.current = key;
      fetchAutomatic()
        .then((r) => {
          if (r && isAutomaticColour(r) && current.current === key) setAuto((a) => (a?.key === key ? a : { key, url: r.image.url }));
        })
        .catch(() => undefined); // no swatches: the point tool works without them
    }, auto ? SETTLE_MS : 0);
    return () => clearTimeout(timer);
  }, [photo?.path, colourKey, selected?.id, source]);
  useEffect(() => {
    setSwatches([]);
    if (!source || !selected || !photo) return;
    let live = true;
    void meanColourAt(source, (selected.x + 0.5) / photo.width, (selected.y + 0.5) / photo.height).then((rgb) => {
      if (live && rgb) setSwatches(suggestedColours(rgb));
    });
    return () => {
      live = false;
    };
  }, [source, selected?.id, selected?.x, selected?.y, photo?.width, photo?.height]);
  return swatches;
}
