// The 1:1 preview of the visible area (issue 16): which photo pixels a pane shows at a zoom and
// pan, and when restoring just those is worth it (zoomed in, at most 2 MP) or not (colourize).
import { describe, expect, it } from 'vitest';
import { actualSize, fitViewport } from '../../renderer/src/lib/viewport';
import { regionPaneLabel, regionPreviewBlocker, visibleRect, worthRegionPreview } from '../../renderer/src/lib/regionPreview';

describe('region preview', () => {
  const image = { width: 4000, height: 3000 };
  const pane = { width: 1000, height: 600 };
  it('gives the photo pixels the pane shows, clipped to the photo, in whole pixels', () => {
    expect(visibleRect(actualSize(image, pane), pane, image)).toEqual({ x: 1500, y: 1200, width: 1000, height: 600 });
    expect(visibleRect({ scale: 2, x: -101, y: 50 }, pane, image)).toEqual({ x: 50, y: 0, width: 501, height: 275 });
    expect(visibleRect(fitViewport(image, pane), pane, image)).toEqual({ x: 0, y: 0, width: 4000, height: 3000 });
    expect(visibleRect({ scale: 1, x: 2000, y: 0 }, pane, image)).toBeNull();
  });
  it('is worth it zoomed in on a part of at most 2 MP, not for the whole photo or colourize', () => {
    expect(worthRegionPreview(visibleRect(actualSize(image, pane), pane, image), image)).toBe(true);
    expect(worthRegionPreview(visibleRect(fitViewport(image, pane), pane, image), image)).toBe(false);
    expect(worthRegionPreview({ x: 0, y: 0, width: 2000, height: 1500 }, { width: 8000, height: 6000 })).toBe(false); // 3 MP visible
    expect(worthRegionPreview(null, image)).toBe(false);
    expect(regionPreviewBlocker([{ task: 'denoise' }, { task: 'upscale' }])).toBeNull();
    expect(regionPreviewBlocker([{ task: 'denoise' }, { task: 'colorize' }])).toMatch(/whole photo/);
    expect(regionPaneLabel('original')).toBe('ORIGINAL + PREVIEW 1:1 (OUTLINED)');
  });
});
