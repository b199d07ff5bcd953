// Image I/O on sharp/libvips: the public entry point of electron/imageio. Read untrusted files
// into integer rasters (upright, sRGB or gray, 8/16-bit, alpha kept), write them atomically in
// PNG/JPEG/TIFF/WebP with metadata kept and the processing recorded.
export type { Raster, ImageMetadata, WriteFormat, WriteOptions, ReadOptions } from './types';
export { DEFAULT_LIMIT_INPUT_PIXELS } from './types';
export { ImageError } from './errors';
export { readImage } from './read';
export { sharpPixels } from './pixels';
export { probeImage } from './probe';
export { writeImage, DEFAULT_QUALITY } from './write';
export { formatFromPath, extensionFor, effectiveDepth, sameFormatFor, readableExtensions } from './formats';
export { configureSharp, sharpSupports } from './sharpConfig';
export { readProcessing } from './xmp';
export { exifOrientation } from './exif';
