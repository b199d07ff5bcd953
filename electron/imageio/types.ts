// Image I/O data types shared by the engine, the CLI and training: the decoded raster (integer
// samples, never float, so that 50-megapixel images stay cheap) and the metadata carried from
// an input file to its output file.

/** Decoded pixels: HWC interleaved, sRGB (or gray), 8- or 16-bit unsigned integers. */
export interface Raster {
  width: number;
  height: number;
  /** 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  /** True when the last channel is alpha (channels 2 or 4). */
  hasAlpha: boolean;
  depth: 8 | 16;
  /** Uint8Array when depth is 8, Uint16Array (native byte order) when depth is 16. */
  data: Uint8Array | Uint16Array;
}

export interface ImageMetadata {
  /** Decoder name: jpeg, png, tiff, webp, avif, heic, gif, ... */
  format: string;
  /** Bit depth of the decoded raster (8 or 16). */
  depth: 8 | 16;
  /** Raw EXIF block as stored in the file ("Exif\0\0" + TIFF structure), orientation tag as in the input. */
  exif?: Buffer;
  /** Embedded ICC profile of the input (pixels in the raster are already converted to sRGB). */
  icc?: Buffer;
  /** Raw XMP packet. */
  xmp?: Buffer;
  /** Pixels per inch, if the file says. */
  density?: number;
  /** EXIF orientation (1-8) of the input; the raster is already upright. */
  orientation?: number;
  /** Frames (animated GIF/WebP) or pages (multi-page TIFF) in the file, when more than one; only the first is read. */
  pages?: number;
  /** JPEG files: the IJG quality (1-100) their luminance table corresponds to (jpegQuality.ts). */
  jpegQuality?: number;
  /** Upright (orientation-applied) dimensions. */
  width: number;
  height: number;
}

/** Formats the app writes. */
export type WriteFormat = 'png' | 'jpg' | 'tif' | 'webp';

export interface WriteOptions {
  format: WriteFormat;
  /** Requested bit depth; JPEG and WebP are 8-bit only and are written at 8 bits (see effectiveDepth). */
  depth: 8 | 16;
  /** JPEG/WebP quality 1-100 (default 92). */
  quality?: number;
  /** Metadata of the input image, carried over when keepMetadata is true. */
  metadata?: ImageMetadata;
  /** Keep EXIF, ICC, XMP and density of `metadata` (default true). */
  keepMetadata?: boolean;
  /** Model and settings used, recorded in the output's XMP (and EXIF where the output has none of its own). */
  processing?: Record<string, string>;
  /** Paths that must never be overwritten (the inputs). */
  protect?: string[];
  /** false: never replace an existing file at the target (TargetExistsError); default true. */
  replace?: boolean;
}

export interface ReadOptions {
  /** Refuse images with more pixels than this (default DEFAULT_LIMIT_INPUT_PIXELS). */
  limitInputPixels?: number;
}

/** libvips' own default: 0x3FFF x 0x3FFF. */
export const DEFAULT_LIMIT_INPUT_PIXELS = 268_402_689;
