// readImage: decode an untrusted image file into an upright sRGB (or gray) 8/16-bit raster.
// Header checked first (probe), then one libvips pipeline: EXIF orientation applied, embedded
// ICC (or CMYK) converted to sRGB, alpha passed through, samples kept at 8 or 16 bits.
// Floating-point samples (32/64-bit float TIFF) are 0-1 by convention: linear RGB (libvips'
// scRGB) is converted to sRGB by libvips; other float images (gray) are read as floats and
// scaled to 16 bits here, and refused, naming the file, when their values are not within 0-1.
// 32-bit integer and complex samples are refused. Only the first frame or page of an animated
// or multi-page file is read (ImageMetadata.pages says how many there are). BMP, which libvips
// cannot read, is decoded by bmp.ts; HEIC, which prebuilt libvips cannot decode, by heic.ts
// (libheif applies its rotation; the EXIF orientation of a HEIF file is not applied again).
// The raster's typed array is a view on sharp's output buffer: no extra full-size copy.
import sharp, { type OutputInfo } from 'sharp';
import { ImageError, toImageError } from './errors';
import { probeDetails, type ProbeDetails } from './probe';
import { jpegQuality } from './jpegQuality';
import { readBmpFile } from './bmp';
import { heicAsPng } from './heic';
import { DEFAULT_LIMIT_INPUT_PIXELS, type ImageMetadata, type Raster, type ReadOptions } from './types';

function isGray(details: ProbeDetails): boolean {
  return details.space === 'b-w' || details.space === 'grey16';
}

/**
 * Output colourspace of the decode pipeline. 8-bit gray+alpha is decoded as sRGB+alpha and
 * narrowed afterwards: sharp's raw writer keeps only band 0 of a b-w image (drops alpha).
 */
function targetColourspace(details: ProbeDetails): string {
  const depth = details.meta.depth;
  if (isGray(details) && !(depth === 8 && details.hasAlpha)) return depth === 16 ? 'grey16' : 'b-w';
  return depth === 16 ? 'rgb16' : 'srgb';
}

/** Gray+alpha from an RGBA buffer whose colour bands are equal (one pass, one new w*h*2 array). */
function grayAlphaFromRgba(rgba: Buffer, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 2);
  for (let i = 0, j = 0; i < pixels; i++, j += 4) {
    out[2 * i] = rgba[j] ?? 0;
    out[2 * i + 1] = rgba[j + 3] ?? 0;
  }
  return out;
}

function asChannels(n: number, file: string): 1 | 2 | 3 | 4 {
  if (n === 1 || n === 2 || n === 3 || n === 4) return n;
  throw new ImageError(file, `unsupported channel count ${n}`);
}

function view16(buf: Buffer): Uint16Array {
  if (buf.byteOffset % 2 === 0) return new Uint16Array(buf.buffer, buf.byteOffset, buf.length / 2);
  const copy = new Uint16Array(buf.length / 2);
  new Uint8Array(copy.buffer).set(buf);
  return copy;
}

/** A HEIC file decoded by heic.ts: PNG bytes for the pipeline, and the details that describe them. */
async function heicSource(file: string, details: ProbeDetails): Promise<{ input: Buffer; details: ProbeDetails }> {
  const { png, width, height, channels } = await heicAsPng(file, file, details.meta.icc).catch((err: unknown) => {
    throw toImageError(file, err);
  });
  const { orientation: _applied, ...meta } = details.meta;
  return { input: png, details: { ...details, meta: { ...meta, depth: 8, width, height }, space: 'srgb', sampleFormat: 'uchar', channels, hasAlpha: channels === 4 } };
}

/**
 * Upper bound on decoding time, so that a pathological file cannot hang a batch: generous
 * (a 268 MP image gets 9 minutes), since a slow disk or a busy machine must not fail good files.
 */
export function decodeTimeoutSeconds(pixels: number): number {
  return 60 + Math.ceil((2 * pixels) / 1e6);
}

const FLOAT_FORMATS = new Set(['float', 'double']);
const REFUSED_FORMATS: Record<string, string> = {
  int: '32-bit integer', uint: '32-bit integer', complex: 'complex', dpcomplex: 'complex',
};

/** Float samples that libvips does not convert itself (anything but scRGB): decoded as floats. */
function readsAsFloat(details: ProbeDetails): boolean {
  return FLOAT_FORMATS.has(details.sampleFormat) && details.space !== 'scrgb';
}

function asFloat32(data: Buffer): Float32Array {
  return data.byteOffset % 4 === 0 ? new Float32Array(data.buffer, data.byteOffset, data.length / 4) : new Float32Array(new Uint8Array(data).buffer);
}

/** Refuses float samples that are not numbers (NaN, infinities): no pixel value can stand for them. */
function checkFinite(file: string, f: Float32Array): void {
  let bad = 0;
  for (let i = 0; i < f.length; i++) if (!Number.isFinite(f[i]!)) bad++;
  if (bad > 0) throw new ImageError(file, `${bad === f.length ? 'all' : bad} floating-point samples are not numbers (NaN or infinite): not supported`);
}

/** Float samples in 0-1 to 16 bits (a little rounding slack is tolerated, then clipped). */
function floatTo16(file: string, data: Buffer): Uint16Array {
  const f = asFloat32(data);
  checkFinite(file, f);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < f.length; i++) {
    const v = f[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo >= -1e-3 && hi <= 1 + 1e-3)) {
    throw new ImageError(file, `floating-point samples from ${+lo.toPrecision(4)} to ${+hi.toPrecision(4)}, outside 0-1: not supported (save it with values 0-1, or as a 16-bit integer image)`);
  }
  const out = new Uint16Array(f.length);
  for (let i = 0; i < f.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, f[i]!)) * 65535);
  return out;
}

/** Decode `file`. Throws ImageError ("<file>: <reason>") for every kind of bad input. */
export async function readImage(file: string, opts: ReadOptions = {}): Promise<{ raster: Raster; meta: ImageMetadata }> {
  const limit = opts.limitInputPixels ?? DEFAULT_LIMIT_INPUT_PIXELS;
  let details = await probeDetails(file, limit);
  let input: string | Buffer = file;
  if (details.meta.format === 'heic') ({ input, details } = await heicSource(file, details));
  if (details.meta.format === 'bmp') {
    const { header, data } = await readBmpFile(file);
    return { raster: { width: header.width, height: header.height, channels: header.channels, hasAlpha: header.channels === 4, depth: 8, data }, meta: details.meta };
  }
  const refused = REFUSED_FORMATS[details.sampleFormat];
  if (refused) throw new ImageError(file, `${refused} samples are not supported (save it as an 8- or 16-bit image)`);
  const asFloat = readsAsFloat(details);
  if (asFloat && !isGray(details)) throw new ImageError(file, `floating-point ${details.space} images are not supported (save it as a 16-bit image)`);
  const depth = details.meta.depth;
  // float RGB (scRGB) is converted by libvips, which turns NaN into black: look at the samples first
  if (FLOAT_FORMATS.has(details.sampleFormat) && !asFloat) {
    try {
      checkFinite(file, asFloat32(await sharp(file, { failOn: 'error', limitInputPixels: limit > 0 ? limit : false }).toColourspace('scrgb').raw({ depth: 'float' }).toBuffer()));
    } catch (err) {
      throw err instanceof ImageError ? err : toImageError(file, err);
    }
  }
  let out: { data: Buffer; info: OutputInfo };
  try {
    let p = sharp(input, { failOn: 'error', limitInputPixels: limit > 0 ? limit : false, autoOrient: true, sequentialRead: true })
      .toColourspace(asFloat ? 'b-w' : targetColourspace(details))
      .timeout({ seconds: decodeTimeoutSeconds(details.meta.width * details.meta.height) });
    // sharp converts 16-bit colour with an embedded profile to P3, not sRGB (its "processing
    // profile", src/pipeline.cc): finish the conversion to sRGB, without attaching a profile.
    if (depth === 16 && details.meta.icc !== undefined && !isGray(details)) p = p.withIccProfile('srgb', { attach: false });
    out = await p.raw({ depth: asFloat ? 'float' : depth === 16 ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw toImageError(file, err);
  }
  if (asFloat) {
    const v = floatTo16(file, out.data);
    out = { data: Buffer.from(v.buffer, v.byteOffset, v.byteLength), info: out.info };
  }
  const { info } = out;
  let { data } = out;
  let channels = asChannels(info.channels, file);
  if (isGray(details) && depth === 8 && details.hasAlpha && channels === 4) {
    const ga = grayAlphaFromRgba(data, info.width * info.height);
    data = Buffer.from(ga.buffer, ga.byteOffset, ga.byteLength);
    channels = 2;
  }
  const expected = info.width * info.height * channels * (depth === 16 ? 2 : 1);
  if (data.length !== expected) throw new ImageError(file, `decoder returned ${data.length} bytes, expected ${expected}`);
  const raster: Raster = {
    width: info.width,
    height: info.height,
    channels,
    hasAlpha: channels === 2 || channels === 4,
    depth,
    data: depth === 16 ? view16(data) : new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
  const quality = details.meta.format === 'jpeg' ? await jpegQuality(file) : undefined;
  const meta: ImageMetadata = { ...details.meta, width: info.width, height: info.height, ...(quality !== undefined ? { jpegQuality: quality } : {}) };
  return { raster, meta };
}
