// writeImage: encode a raster as PNG, JPEG, TIFF or WebP at 8 or 16 bits and write it
// atomically. Keeps the input's EXIF (orientation reset to 1: the pixels are upright), ICC
// (pixels converted from sRGB back into that profile), XMP and density, and records the model
// and settings used in XMP (plus EXIF Software/ImageDescription when no input EXIF is kept).
// JPEG and WebP hold 8 bits only: a 16-bit request is written at 8 bits (effectiveDepth);
// JPEG has no alpha either: transparent pixels are composited on white.
// TIFF output carries ICC and XMP but no EXIF (libvips' TIFF writer has no EXIF IFD).
// `replace: false` never replaces an existing file (TargetExistsError, checked before encoding and
// again, atomically, when the file is put in place).
import sharp, { type Sharp } from 'sharp';
import { promises as fs } from 'node:fs';
import { TargetExistsError, atomicWrite, assertNotProtected } from './atomic';
import { insertExif, insertPngChunk } from './containers';
import { ImageError } from './errors';
import { exifForUprightOutput } from './exif';
import { toDepth } from './depth';
import { effectiveDepth, sizeRefusal } from './formats';
import { iccFitsChannels, iccpChunkData, srgbProfile, withIccFile } from './icc';
import type { Raster, WriteFormat, WriteOptions } from './types';
import { processingSummary, xmpUpright, xmpWithProcessing } from './xmp';

export const DEFAULT_QUALITY = 92;
const SOFTWARE = 'restore-studio';

function checkRaster(file: string, r: Raster): void {
  const ok =
    Number.isInteger(r.width) && r.width > 0 && Number.isInteger(r.height) && r.height > 0 &&
    [1, 2, 3, 4].includes(r.channels) &&
    (r.depth === 8 ? r.data instanceof Uint8Array : r.data instanceof Uint16Array) &&
    r.data.length === r.width * r.height * r.channels;
  if (!ok) {
    throw new ImageError(file, `invalid raster ${r.width}x${r.height}x${r.channels} at ${r.depth} bits with ${r.data.length} samples`);
  }
}

function colourspaceFor(channels: number, depth: 8 | 16): string {
  const gray = channels <= 2;
  if (depth === 16) return gray ? 'grey16' : 'rgb16';
  return gray ? 'b-w' : 'srgb';
}

/**
 * Above this many pixels the encoders trade a few percent of file size for time and memory.
 * JPEG Huffman-table optimisation is off: with it libjpeg keeps every DCT coefficient of the
 * image in memory (50 MP RGB: +570 MB and 9.7 s instead of 0.7 s) for files about 8% smaller.
 * WebP uses effort 2 instead of 4 (50 MP: 7.4 s instead of 43 s, file 4% larger).
 */
export const LARGE_IMAGE_PIXELS = 16_000_000;

function encoder(p: Sharp, format: WriteFormat, quality: number, pixels: number): Sharp {
  switch (format) {
    case 'png':
      return p.png({ compressionLevel: 6 });
    case 'jpg':
      return p.jpeg({
        quality,
        chromaSubsampling: quality >= 90 ? '4:4:4' : '4:2:0',
        optimiseCoding: pixels <= LARGE_IMAGE_PIXELS,
      });
    case 'webp':
      return p.webp({ quality, alphaQuality: 100, effort: pixels <= LARGE_IMAGE_PIXELS ? 4 : 2 });
    case 'tif':
      return p.tiff({ compression: 'deflate', predictor: 'horizontal' });
  }
}

function checkQuality(file: string, q: number | undefined): number {
  if (q === undefined) return DEFAULT_QUALITY;
  if (!Number.isInteger(q) || q < 1 || q > 100) throw new ImageError(file, `quality must be an integer 1-100, got ${q}`);
  return q;
}

function rawOptions(r: Raster) {
  return { raw: { width: r.width, height: r.height, channels: r.channels } };
}

/**
 * A pipeline on a 16-bit sRGB raster that carries an embedded sRGB profile. sharp converts
 * untagged 16-bit pixels as if they were P3 (its 16-bit "processing profile", src/pipeline.cc),
 * so before converting to an output profile the pixels go through a fast 16-bit PNG tagged sRGB.
 */
async function taggedSrgb16(r: Raster): Promise<Sharp> {
  const png = await sharp(r.data, rawOptions(r)).toColourspace('rgb16').png({ compressionLevel: 1 }).toBuffer();
  const tagged = Buffer.concat(insertPngChunk(png, 'iCCP', iccpChunkData(await srgbProfile(), 'sRGB')));
  return sharp(tagged, { limitInputPixels: false });
}

/** Encode and atomically write `raster` to `file`. Throws ImageError naming `file`. */
export async function writeImage(file: string, raster: Raster, opts: WriteOptions): Promise<void> {
  checkRaster(file, raster);
  const quality = checkQuality(file, opts.quality);
  const protect = opts.protect ?? [];
  await assertNotProtected(file, protect); // before any encoding work
  if (opts.replace === false && (await fs.lstat(file).then(() => true, () => false))) throw new TargetExistsError(file);
  const tooLarge = sizeRefusal(opts.format, raster.width, raster.height);
  if (tooLarge) throw new ImageError(file, `cannot hold the image: ${tooLarge}`);
  const depth = effectiveDepth(opts.format, opts.depth);
  const keep = opts.keepMetadata !== false && opts.metadata !== undefined;
  const meta = keep ? opts.metadata : undefined;

  const exif = meta?.exif && opts.format !== 'tif' ? exifForUprightOutput(meta.exif) : undefined;
  const icc = meta?.icc && iccFitsChannels(meta.icc, raster.channels) ? meta.icc : undefined;
  const xmpIn = meta?.xmp ? xmpUpright(meta.xmp.toString('utf8')) : undefined;
  const xmp = opts.processing ? xmpWithProcessing(xmpIn, opts.processing) : xmpIn;

  const pixels = toDepth(raster, depth);
  const encode = async (iccFile: string | undefined): Promise<Buffer> => {
    let p = iccFile && depth === 16 ? await taggedSrgb16(pixels) : sharp(pixels.data, rawOptions(pixels));
    // JPEG has no alpha: composite on white, as a print would show it, rather than dropping it
    if (opts.format === 'jpg' && pixels.hasAlpha) p = p.flatten({ background: '#ffffff' });
    if (iccFile) p = p.withIccProfile(iccFile);
    p = p.toColourspace(colourspaceFor(raster.channels, depth));
    if (xmp) p = p.withXmp(xmp);
    if (meta?.density) p = p.withDensity(meta.density);
    if (!exif && opts.processing && opts.format !== 'tif') {
      p = p.withExif({ IFD0: { Software: SOFTWARE, ImageDescription: processingSummary(opts.processing) } });
    }
    return encoder(p, opts.format, quality, pixels.width * pixels.height).toBuffer();
  };

  let encoded: Buffer;
  try {
    encoded = icc ? await withIccFile(icc, encode) : await encode(undefined);
  } catch (err) {
    throw new ImageError(file, `cannot encode ${opts.format.toUpperCase()} (${(err as Error).message})`, { cause: err });
  }
  let chunks: Uint8Array[] = [encoded];
  if (exif && opts.format !== 'tif') {
    try {
      chunks = insertExif(opts.format, encoded, exif, raster);
    } catch {
      // EXIF that cannot be carried (e.g. larger than a JPEG segment) is dropped; the image itself is fine
      chunks = [encoded];
    }
  }
  await atomicWrite(file, chunks, protect, opts.replace === false ? { replace: false } : {});
}
