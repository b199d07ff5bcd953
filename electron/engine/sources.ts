// TileSources and TileSinks over images in memory: interleaved 8/16-bit rasters (read with
// reflect padding, normalised to [0, 1]), planar float planes and constant maps (noise level).
// Sinks quantise finished float rows back into an interleaved raster (rounded, clamped).
import { reflectIndex, type TileSink, type TileSource } from './tiling';

/** The part of imageio's Raster these adapters need (HWC interleaved). */
export interface PixelBuffer {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array | Uint16Array;
}

export function maxValue(buf: PixelBuffer): number {
  return buf.data instanceof Uint16Array ? 65535 : 255;
}

function reflectTable(start: number, len: number, n: number): Int32Array {
  const t = new Int32Array(len);
  for (let i = 0; i < len; i++) t[i] = reflectIndex(start + i, n);
  return t;
}

/**
 * Reads the given interleaved channels (e.g. [0,1,2] or [0,0,0] to replicate gray) as floats in
 * [0, 1]. Columns inside the image are read by direct index, only the reflected ones through the
 * index table (the tiler reads every input pixel about 1.5 times per image).
 */
export function rasterSource(buf: PixelBuffer, channelMap: number[]): TileSource {
  const inv = 1 / maxValue(buf);
  const { width, height, channels, data } = buf;
  return {
    channels: channelMap.length,
    read(x0, y0, w, h, out, offset) {
      const xs = reflectTable(x0, w, width);
      const ys = reflectTable(y0, h, height);
      // [lo, hi): window columns that lie inside the image
      const lo = Math.min(w, Math.max(0, -x0));
      const hi = Math.max(lo, Math.min(w, width - x0));
      for (let c = 0; c < channelMap.length; c++) {
        const ch = channelMap[c]!;
        for (let r = 0; r < h; r++) {
          const row = ys[r]! * width;
          const o = offset + (c * h + r) * w;
          for (let i = 0; i < lo; i++) out[o + i] = data[(row + xs[i]!) * channels + ch]! * inv;
          let k = (row + x0 + lo) * channels + ch;
          for (let i = lo; i < hi; i++, k += channels) out[o + i] = data[k]! * inv;
          for (let i = hi; i < w; i++) out[o + i] = data[(row + xs[i]!) * channels + ch]! * inv;
        }
      }
    },
  };
}

/** Planar float planes (channels x height x width). */
export function planeSource(plane: Float32Array, width: number, height: number, channels: number): TileSource {
  return {
    channels,
    read(x0, y0, w, h, out, offset) {
      const xs = reflectTable(x0, w, width);
      const ys = reflectTable(y0, h, height);
      for (let c = 0; c < channels; c++) {
        for (let r = 0; r < h; r++) {
          const row = (c * height + ys[r]!) * width;
          const o = offset + (c * h + r) * w;
          for (let i = 0; i < w; i++) out[o + i] = plane[row + xs[i]!]!;
        }
      }
    },
  };
}

/** A constant map, e.g. the noise level sigma/255 of a denoiser. */
export function constantSource(value: number, channels = 1): TileSource {
  return {
    channels,
    read(_x0, _y0, w, h, out, offset) {
      out.fill(value, offset, offset + channels * w * h);
    },
  };
}

/** Writes planar float rows in [0, 1] into the given interleaved channels of a raster. */
export function rasterSink(buf: PixelBuffer, channelMap: number[]): TileSink {
  const max = maxValue(buf);
  const { width, channels, data } = buf;
  return {
    writeRows(y0, rows, src) {
      for (let c = 0; c < channelMap.length; c++) {
        const ch = channelMap[c]!;
        for (let r = 0; r < rows; r++) {
          const base = (y0 + r) * width;
          const o = (c * rows + r) * width;
          for (let x = 0; x < width; x++) {
            const v = Math.round(src[o + x]! * max);
            data[(base + x) * channels + ch] = v < 0 ? 0 : v > max ? max : v;
          }
        }
      }
    },
  };
}

/** Writes planar float rows into a full planar plane (tests, colorize's small ab map). */
export function planeSink(plane: Float32Array, width: number, height: number, channels: number): TileSink {
  return {
    writeRows(y0, rows, src) {
      for (let c = 0; c < channels; c++) {
        for (let r = 0; r < rows; r++) {
          plane.set(src.subarray((c * rows + r) * width, (c * rows + r + 1) * width), (c * height + y0 + r) * width);
        }
      }
    },
  };
}

/** Writes the mean of all planar channels into one interleaved channel (gray image through a colour model). */
export function rasterMeanSink(buf: PixelBuffer, channel: number, planes: number): TileSink {
  const max = maxValue(buf);
  const { width, channels, data } = buf;
  return {
    writeRows(y0, rows, src) {
      const plane = rows * width;
      for (let r = 0; r < rows; r++) {
        for (let x = 0; x < width; x++) {
          let s = 0;
          for (let c = 0; c < planes; c++) s += src[c * plane + r * width + x]!;
          const v = Math.round((s / planes) * max);
          data[((y0 + r) * width + x) * channels + channel] = v < 0 ? 0 : v > max ? max : v;
        }
      }
    },
  };
}

