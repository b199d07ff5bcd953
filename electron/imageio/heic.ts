// HEIC (HEVC-coded HEIF: what iPhones and many Android phones save) decoded by libheif compiled
// to WebAssembly (libheif-js, with libde265), since prebuilt sharp/libvips has no HEVC decoder.
// The primary image is decoded, with the file's rotation and mirroring applied (as libheif does),
// to 8-bit RGB or RGBA, and handed on as an uncompressed PNG carrying the file's ICC profile, so
// every sharp pipeline (readImage, previews, folder scans) converts its colours to sRGB as it does
// for any other tagged file. One decode runs at a time (one WebAssembly instance, loaded on the
// first HEIC); libheif's own messages are kept off stdout, where `--json` events go.
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { insertPngChunk } from './containers';
import { ImageError } from './errors';
import { iccFitsChannels, iccpChunkData } from './icc';

/** The part of libheif-js's embind interface used here. */
interface HeifError { code: { value: number }; message: string }
interface HeifPlane { width: number; height: number; stride: number; data: Uint8Array }
interface HeifDecoded { image: unknown; width: number; height: number; channels: HeifPlane[]; code?: { value: number }; message?: string }
interface Libheif {
  ready: Promise<unknown>;
  heif_context_alloc(): unknown;
  heif_context_free(ctx: unknown): void;
  heif_context_read_from_memory(ctx: unknown, bytes: Uint8Array): HeifError;
  heif_js_context_get_primary_image_handle(ctx: unknown): unknown;
  heif_image_handle_has_alpha_channel(handle: unknown): number;
  heif_image_handle_release(handle: unknown): void;
  heif_js_decode_image2(handle: unknown, colorspace: unknown, chroma: unknown): Promise<HeifDecoded | HeifError | undefined>;
  heif_image_release(image: unknown): void;
  heif_colorspace: { heif_colorspace_RGB: unknown };
  heif_chroma: { heif_chroma_interleaved_RGB: unknown; heif_chroma_interleaved_RGBA: unknown };
}

let module: Promise<Libheif> | undefined;

function libheif(): Promise<Libheif> {
  module ??= (async () => {
    // required, not imported: the Electron main bundle is CommonJS and loads it from app.asar
    const factory = createRequire(import.meta.url)('libheif-js/libheif-wasm/libheif-bundle.js') as (options: object) => Libheif;
    const quiet = (): void => undefined;
    const lib = factory({ print: quiet, printErr: quiet });
    await lib.ready;
    return lib;
  })();
  return module;
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `fn` after every decode queued before it (the WebAssembly instance is not reentrant). */
function oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

function failed(result: unknown): string | undefined {
  if (result === undefined || result === null) return 'no image came back';
  const code = (result as { code?: { value?: number } }).code;
  if (code && code.value !== 0) return ((result as { message?: string }).message ?? `error ${code.value}`).trim();
  return undefined;
}

/** Decoded pixels of a HEIC file: 8 bits, RGB (RGBA when the file has alpha), rows packed. */
export interface HeicPixels {
  width: number;
  height: number;
  channels: 3 | 4;
  data: Buffer;
}

/** Decodes the primary image of HEIC bytes. Throws ImageError naming `file` with libheif's reason. */
export function decodeHeic(bytes: Uint8Array, file: string): Promise<HeicPixels> {
  return oneAtATime(async () => {
    const lib = await libheif();
    const ctx = lib.heif_context_alloc();
    try {
      const read = failed(lib.heif_context_read_from_memory(ctx, bytes));
      if (read) throw new ImageError(file, `truncated or corrupt HEIC file (${read})`);
      const handle = lib.heif_js_context_get_primary_image_handle(ctx);
      const noHandle = failed(handle);
      if (noHandle) throw new ImageError(file, `HEIC file without a readable primary image (${noHandle})`);
      try {
        const channels = lib.heif_image_handle_has_alpha_channel(handle) ? 4 : 3;
        const chroma = channels === 4 ? lib.heif_chroma.heif_chroma_interleaved_RGBA : lib.heif_chroma.heif_chroma_interleaved_RGB;
        const decoded = await lib.heif_js_decode_image2(handle, lib.heif_colorspace.heif_colorspace_RGB, chroma);
        const why = failed(decoded);
        if (why) throw new ImageError(file, `truncated or corrupt HEIC file (${why})`);
        const image = decoded as HeifDecoded;
        try {
          const plane = image.channels[0];
          if (!plane || plane.width * channels > plane.stride) throw new ImageError(file, 'the HEIC decoder returned no interleaved pixels');
          const row = plane.width * channels;
          const data = Buffer.allocUnsafe(row * plane.height);
          for (let y = 0; y < plane.height; y++) data.set(plane.data.subarray(y * plane.stride, y * plane.stride + row), y * row);
          return { width: plane.width, height: plane.height, channels, data };
        } finally {
          lib.heif_image_release(image.image);
        }
      } finally {
        lib.heif_image_handle_release(handle);
      }
    } finally {
      lib.heif_context_free(ctx);
    }
  });
}

/**
 * When `source` is HEVC-coded HEIF (HEIC), judged from its header, its ICC profile (if any);
 * null for AVIF and every other format. One header read serves both questions.
 */
export async function heicHeader(source: string | Buffer): Promise<{ icc?: Buffer } | null> {
  try {
    const m = await sharp(source, { limitInputPixels: false }).metadata();
    return m.format === 'heif' && m.compression === 'hevc' ? (m.icc ? { icc: m.icc } : {}) : null;
  } catch {
    return null;
  }
}

/** A HEIC image's pixels as PNG bytes, and their size. */
export interface HeicPng {
  png: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/**
 * A HEIC file's primary image as PNG bytes (uncompressed: only sharp reads them), tagged with the
 * file's ICC profile `icc` (from its header, read by the caller) when it describes RGB, so that
 * sharp converts the colours to sRGB.
 */
export async function heicAsPng(source: string | Buffer, file: string, icc: Buffer | undefined): Promise<HeicPng> {
  const bytes = typeof source === 'string' ? await fs.readFile(source) : source;
  const { width, height, channels, data } = await decodeHeic(bytes, file);
  const png = await sharp(data, { raw: { width, height, channels } }).png({ compressionLevel: 0, adaptiveFiltering: false }).toBuffer();
  return { png: icc && iccFitsChannels(icc, 3) ? Buffer.concat(insertPngChunk(png, 'iCCP', iccpChunkData(icc))) : png, width, height, channels };
}
