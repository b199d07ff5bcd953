// Pixel work of the found-damage layer, free of the DOM: a decoded detector mask (RGBA, gray
// values) becomes a layer with the marked pixels (>= 128) in one colour and the rest transparent.

/** RGBA of `gray` (RGBA of the decoded mask) thresholded at 128: `rgb` where marked, transparent elsewhere. */
export function thresholdMask(gray: Uint8ClampedArray, rgb: readonly [number, number, number]): { rgba: Uint8ClampedArray; marked: number } {
  const rgba = new Uint8ClampedArray(gray.length);
  let marked = 0;
  for (let i = 0; i < gray.length; i += 4) {
    if ((gray[i] as number) < 128) continue;
    rgba[i] = rgb[0];
    rgba[i + 1] = rgb[1];
    rgba[i + 2] = rgb[2];
    rgba[i + 3] = 255;
    marked++;
  }
  return { rgba, marked };
}

export function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
