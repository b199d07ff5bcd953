// Runs one manifest model over an image through the tiler: maps the manifest's input roles to the
// session's input names, uses the model's receptive field / multipleOf / scale / recommended tile,
// shrinks the tile after allocation failures, and reports tiles as progress. Also the small
// raster helpers the task units share (channel maps, gray handling, alpha copy).
import type { Raster } from '../../imageio/types';
import type { InputRole } from '../../../models/manifest';
import { runTiledAdaptive, type RunTile, type TileSink, type TileSource } from '../tiling';
import { selfEnsembleRun } from '../selfEnsemble';
import type { PickedModel, TaskContext } from './types';

export interface InferOptions {
  width: number;
  height: number;
  /** One source per input role the model declares. */
  sources: Partial<Record<InputRole, TileSource>>;
  sink: TileSink;
  /** Average the model's outputs over the eight flips/rotations of each window (8x the work), or over the transforms given (selfEnsemble.ts). */
  selfEnsemble?: boolean | readonly number[];
  /** Windows not to run (tiling.ts TilingOptions.skip). */
  skip?: (x0: number, y0: number, w: number, h: number) => boolean;
  /** Context to give each window instead of the model's (manifest tileContext, else its receptive field). */
  receptiveField?: number;
}

export async function inferTiled(ctx: TaskContext, picked: PickedModel, o: InferOptions): Promise<{ tile: number }> {
  const { entry, path } = picked;
  const session = await ctx.sessions.get(path, entry);
  const inputs: Record<string, TileSource> = {};
  for (const inp of entry.inputs) {
    const src = o.sources[inp.role];
    if (!src) throw new Error(`${path}: model input "${inp.name}" has role ${inp.role}, which task ${entry.task} does not provide`);
    if (src.channels !== inp.channels) {
      throw new Error(`${path}: model input "${inp.name}" wants ${inp.channels} channels, got ${src.channels}`);
    }
    inputs[inp.name] = src;
  }
  const tile = ctx.tile > 0 ? ctx.tile : entry.recommendedTile;
  const s = entry.scale;
  const c = entry.output.channels;
  let current = tile;
  // One output buffer for every tile: the tiler has blended a result before it runs the next tile
  // (a new 50 MB array per tile of an x4 model otherwise waits for the garbage collector).
  let output = new Float32Array(0);
  const once: RunTile = (feeds) => {
    const any = Object.values(feeds)[0]!;
    const outputDims = [1, c, any.dims[2]! * s, any.dims[3]! * s];
    const size = outputDims.reduce((a, b) => a * b, 1);
    if (output.length !== size) output = new Float32Array(size);
    return session.run(feeds, { output: entry.output.name, outputDims, outputBuffer: output });
  };
  return runTiledAdaptive(
    {
      width: o.width,
      height: o.height,
      inputs,
      run: o.selfEnsemble ? selfEnsembleRun(once, o.selfEnsemble === true ? undefined : o.selfEnsemble) : once,
      outChannels: c,
      scale: s,
      tile,
      receptiveField: o.receptiveField ?? entry.tileContext ?? entry.receptiveField,
      multipleOf: entry.multipleOf,
      sink: o.sink,
      skip: o.skip,
      onTile: (done, total) => ctx.onTile?.(done, total, current),
      signal: ctx.signal,
    },
    {
      onShrink: (t, err) => {
        current = t;
        ctx.log('warn', `${path}: out of memory at tile ${t * 2} (${err.split('\n')[0]}); retrying with tile ${t}`);
      },
    },
  );
}

/** One run of the model over the image: which raster channels feed its image input. */
export interface ChannelPass {
  map: number[];
  /** A gray image replicated to the model's three channels (write back the mean). */
  replicated: boolean;
}

/**
 * Runs the model once per channel group of `raster` (channelPlan: all colour channels at once, gray
 * replicated to RGB, or one pass per channel for a 1-channel model); `feed` gives each pass's
 * sources and sink. Progress counts all passes as one step.
 */
export async function inferChannelPasses(
  ctx: TaskContext,
  picked: PickedModel,
  raster: Raster,
  feed: (pass: ChannelPass) => Pick<InferOptions, 'sources' | 'sink'>,
  selfEnsemble: boolean | readonly number[] = false,
  tiling: Pick<InferOptions, 'skip' | 'receptiveField'> = {},
): Promise<void> {
  const imageInput = picked.entry.inputs.find((i) => i.role === 'image');
  if (!imageInput) throw new Error(`${picked.path}: ${picked.entry.task} model has no image input`);
  const plan = channelPlan(raster, imageInput.channels);
  for (const [pass, map] of plan.entries()) {
    const replicated = map.length === 3 && map[0] === map[1];
    await inferTiled(passContext(ctx, pass, plan.length), picked, { width: raster.width, height: raster.height, selfEnsemble, ...tiling, ...feed({ map, replicated }) });
  }
}

/** Context for pass `pass` of `passes` (per-channel runs): progress counts all passes as one step. */
export function passContext(ctx: TaskContext, pass: number, passes: number): TaskContext {
  if (passes <= 1) return ctx;
  return { ...ctx, onTile: (done, total, tile) => ctx.onTile?.(pass * total + done, passes * total, tile) };
}

/** Channel indices of the colour (non-alpha) channels. */
export function colourChannels(r: Raster): number[] {
  const n = r.hasAlpha ? r.channels - 1 : r.channels;
  return Array.from({ length: n }, (_, i) => i);
}

/** How to feed a raster's colour to a model with `modelChannels` channels: replicate gray, or per-channel passes. */
export function channelPlan(r: Raster, modelChannels: number): number[][] {
  const colour = colourChannels(r);
  if (modelChannels === colour.length) return [colour];
  if (modelChannels === 3 && colour.length === 1) return [[0, 0, 0]];
  if (modelChannels === 1) return colour.map((c) => [c]);
  throw new Error(`model wants ${modelChannels} channels, image has ${colour.length}`);
}

export function newRaster(like: Raster, width: number, height: number, channels: Raster['channels'] = like.channels, hasAlpha = like.hasAlpha): Raster {
  const n = width * height * channels;
  return { width, height, channels, hasAlpha, depth: like.depth, data: like.depth === 16 ? new Uint16Array(n) : new Uint8Array(n) };
}

/** Copies the alpha channel of src into dst (same size). */
export function copyAlpha(src: Raster, dst: Raster): void {
  if (!src.hasAlpha || !dst.hasAlpha) return;
  const sa = src.channels - 1;
  const da = dst.channels - 1;
  for (let i = 0, n = src.width * src.height; i < n; i++) dst.data[i * dst.channels + da] = src.data[i * src.channels + sa]!;
}
