// Swatches for the selected colour point from the automatic colourization (@api/colorSuggestions):
// the latest whole-photo result of the open photo whose Colourize step ran without points is kept,
// and the colour it has under the selected point is read in the browser (lib/photoPixels). When a
// point is selected before there is one (points placed first, or a session reloaded with points),
// `fetchAutomatic` is asked once per photo for an automatic preview, kept only as the swatches'
// source. Until it arrives (or when its pixels cannot be read) there are none; a new photo forgets it.
import { useEffect, useRef, useState } from 'react';
import type { RestoreResult } from '@api/contract';
import { suggestedColours, type ColourSuggestion } from '@api/colorSuggestions';
import { isAutomaticColour, type ColorPoint } from '../lib/colorPoints';
import { meanColourAt } from '../lib/photoPixels';

export function useColourSuggestions(
  photo: { path: string; width: number; height: number } | null,
  result: RestoreResult | null,
  selected: ColorPoint | null,
  fetchAutomatic: () => Promise<RestoreResult | null>,
): ColourSuggestion[] {
  const [auto, setAuto] = useState<{ photo: string; url: string } | null>(null);
  const [swatches, setSwatches] = useState<ColourSuggestion[]>([]);
  /** The photo an automatic preview was asked for (once per opened photo). */
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (photo && result && isAutomaticColour(result)) setAuto({ photo: photo.path, url: result.image.url });
  }, [photo?.path, result]);
  const source = auto && photo && auto.photo === photo.path ? auto.url : null;
  useEffect(() => {
    if (!photo || !selected || source || asked.current === photo.path) return;
    const path = photo.path;
    asked.current = path;
    fetchAutomatic()
      .then((r) => {
        if (r && isAutomaticColour(r)) setAuto((a) => (a?.photo === path ? a : { photo: path, url: r.image.url }));
      })
      .catch(() => undefined); // no swatches: the point tool works without them
  }, [photo?.path, selected?.id, source]);
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
