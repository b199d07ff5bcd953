// Swatches for the selected colour point from the automatic colourization (@api/colorSuggestions):
// the latest whole-photo result of the open photo whose Colourize step ran without points is kept,
// and the colour it has under the selected point is read in the browser (lib/photoPixels). Before
// any automatic result (or when its pixels cannot be read) there are none; a new photo forgets it.
import { useEffect, useState } from 'react';
import type { RestoreResult } from '@api/contract';
import { suggestedColours, type ColourSuggestion } from '@api/colorSuggestions';
import { isAutomaticColour, type ColorPoint } from '../lib/colorPoints';
import { meanColourAt } from '../lib/photoPixels';

export function useColourSuggestions(photo: { path: string; width: number; height: number } | null, result: RestoreResult | null, selected: ColorPoint | null): ColourSuggestion[] {
  const [auto, setAuto] = useState<{ photo: string; url: string } | null>(null);
  const [swatches, setSwatches] = useState<ColourSuggestion[]>([]);
  useEffect(() => {
    if (photo && result && isAutomaticColour(result)) setAuto({ photo: photo.path, url: result.image.url });
  }, [photo?.path, result]);
  const source = auto && photo && auto.photo === photo.path ? auto.url : null;
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
