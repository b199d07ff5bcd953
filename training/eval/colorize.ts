// Colourization protocol (shared/data/README.md): the reference made gray (its Lab L), colourized
// (automatically, or with N colour points sampled from the reference: positions normal about the
// centre with sd = side / 4 per axis, clipped; colour = the reference's 5 x 5 mean, as "#rrggbb"
// through the engine's hint path; seeded per image), scored by RGB PSNR (8-bit) against the
// reference, beside the gray baseline (L with a = b = 0), and by the colourfulness (Hasler &
// Suesstrunk 2003) of the outputs and of the references. The model runs on the whole image and
// the points are spread after it as the engine does (color/propagate.ts): the sets are below the
// engine's 512 px working size, so this is the engine's path (its upsampling to full resolution,
// color/upsample.ts, is then the identity).
import { createHash } from 'node:crypto';
import path from 'node:path';
import { labToSrgb } from '../../electron/engine/color/lab';
import { hintsToWorking, renderHints, rgbToHex, type ColorHint } from '../../electron/engine/color/hints';
import { applyColorPoints } from '../../electron/engine/color/hintFade';
import { listImages } from '../data/images';
import { imresize, labSplit, type Planar } from '../data/degrade';
import { Rng } from '../rng';
import { loadPlanar } from './images';
import { colorfulness, psnr, to8bit } from './metrics';
import type { ModelRunner } from './runner';
import { writePanels, type Panel } from './crops';

export interface ColorizeRow {
  set: string; method: string; protocol: string; psnr: number; images: number;
  hints: number; colorfulness: number; referenceColorfulness: number;
}

/** Pictures of the first `count` images: reference | gray | automatic | with N points. */
export interface ColorizePictures { dir: string; count: number; height?: number; onPicture?: (file: string) => void }

/** N colour points sampled from a reference (the protocol above), seeded by the file name. */
export function sampleReferenceHints(ref: Planar, count: number, name: string): ColorHint[] {
  const rng = new Rng(createHash('sha256').update(`hints:${name}`).digest().readUInt32BE(0));
  const { h, w, data } = ref;
  const n = h * w;
  const clampTo = (v: number, side: number): number => Math.min(side - 1, Math.max(0, Math.round(v)));
  const out: ColorHint[] = [];
  for (let k = 0; k < count; k++) {
    const x = clampTo(w / 2 + (rng.normal() * w) / 4, w);
    const y = clampTo(h / 2 + (rng.normal() * h) / 4, h);
    const m = [0, 0, 0];
    let cnt = 0;
    for (let yy = Math.max(0, y - 2); yy <= Math.min(h - 1, y + 2); yy++) {
      for (let xx = Math.max(0, x - 2); xx <= Math.min(w - 1, x + 2); xx++) {
        for (let c = 0; c < 3; c++) m[c]! += data[c * n + yy * w + xx] as number;
        cnt++;
      }
    }
    out.push({ x, y, color: rgbToHex(m[0]! / cnt, m[1]! / cnt, m[2]! / cnt) });
  }
  return out;
}

/** L (0-1) plus ab (/128, 2 planes) -> sRGB planes; `ab` null = gray. */
export function labPlanes(luma: Float32Array, ab: Float32Array | null, h: number, w: number): Planar {
  const n = h * w, out = new Float32Array(3 * n), px = new Float32Array(3);
  for (let i = 0; i < n; i++) {
    labToSrgb((luma[i] as number) * 100, ab ? (ab[i] as number) * 128 : 0, ab ? (ab[n + i] as number) * 128 : 0, px);
    out[i] = px[0] as number; out[n + i] = px[1] as number; out[2 * n + i] = px[2] as number;
  }
  return { c: 3, h, w, data: to8bit(out) };
}

/** The model's colourization of L with these colour points (engine hint path, whole image). */
export async function colorizePlanar(runner: ModelRunner, luma: Float32Array, h: number, w: number, hints: ColorHint[]): Promise<Planar> {
  const takesHints = runner.entry.inputs.some((i) => i.role === 'hint_ab');
  if (hints.length > 0 && !takesHints) throw new Error(`${runner.entry.id} does not take colour points`);
  const points = hintsToWorking(hints, 1, w, h);
  const planes = renderHints(points, w, h);
  const predict = async (p: typeof planes): Promise<Float32Array> => (await runner.run({
    luma: { c: 1, h, w, data: luma },
    ...(takesHints ? { hint_ab: { c: 2, h, w, data: p.ab }, hint_mask: { c: 1, h, w, data: p.mask } } : {}),
  })).data;
  const ab = await predict(planes);
  if (hints.length > 0) applyColorPoints(ab, await predict(renderHints([], w, h)), luma, w, h, points, planes, runner.entry.receptiveField);
  return labPlanes(luma, ab, h, w);
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Scaled copy (nearest) of a planar image to `height` rows, for pictures. */
function shrink(p: Planar, height: number): Planar {
  if (p.h <= height) return p;
  const H = height, W = Math.max(1, Math.round((p.w * height) / p.h)), out = new Float32Array(p.c * H * W);
  for (let k = 0; k < p.c; k++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    out[(k * H + y) * W + x] = p.data[(k * p.h + Math.floor((y * p.h) / H)) * p.w + Math.floor((x * p.w) / W)] as number;
  }
  return { c: p.c, h: H, w: W, data: out };
}

export async function evalColorize(runner: ModelRunner, setDir: string, hintCounts: number[] = [0], pictures?: ColorizePictures): Promise<ColorizeRow[]> {
  const files = await listImages(setDir);
  const set = path.basename(setDir);
  const gray: number[] = [], grayCf: number[] = [], refCf: number[] = [];
  const scores = hintCounts.map(() => [] as number[]), cfs = hintCounts.map(() => [] as number[]);
  for (const [i, f] of files.entries()) {
    const ref = await loadPlanar(f, 3);
    const { luma } = labSplit(ref);
    const g = labPlanes(luma, null, ref.h, ref.w);
    gray.push(psnr(g, ref));
    grayCf.push(colorfulness(g));
    refCf.push(colorfulness(ref));
    const panels: Panel[] = [{ label: 'reference', image: ref }, { label: 'gray', image: g }];
    for (const [k, count] of hintCounts.entries()) {
      const out = await colorizePlanar(runner, luma, ref.h, ref.w, sampleReferenceHints(ref, count, path.basename(f)));
      scores[k]!.push(psnr(out, ref));
      cfs[k]!.push(colorfulness(out));
      panels.push({ label: count === 0 ? 'automatic' : `${count} points`, image: out });
    }
    if (pictures && i < pictures.count) {
      const file = path.join(pictures.dir, `colorize-${set}-${path.parse(f).name}.png`);
      await writePanels(file, panels.map((p) => ({ ...p, image: shrink(p.image, pictures.height ?? 240) })));
      pictures.onPicture?.(file);
    }
  }
  const referenceColorfulness = mean(refCf);
  const protocol = (n: number): string => `RGB 8-bit, L from reference${n > 0 ? `, ${n} points from reference` : ''}`;
  return [
    { set, method: 'gray (a = b = 0)', protocol: protocol(0), psnr: mean(gray), images: files.length, hints: 0, colorfulness: mean(grayCf), referenceColorfulness },
    ...hintCounts.map((n, k) => ({
      set, method: runner.entry.id, protocol: protocol(n), psnr: mean(scores[k]!), images: files.length, hints: n, colorfulness: mean(cfs[k]!), referenceColorfulness,
    })),
  ];
}

/**
 * RGB PSNR of each photo colourized whole as the engine does (the mean over automatic and each
 * count of points from the reference, as evalColorize), each photo first brought within `maxSide`
 * (the model's working size: the engine colourizes there too). A colourizer fine-tune is judged
 * and shown this way (trainer.ts): its validation sees centre crops of the patch size, and colour
 * that helps the crops can hurt whole photos.
 */
export async function wholePhotoScores(runner: ModelRunner, files: string[], hintCounts: number[], maxSide: number): Promise<number[]> {
  const perPhoto: number[] = [];
  for (const f of files) {
    const ref = await loadWithin(f, maxSide);
    const { luma } = labSplit(ref);
    const scores: number[] = [];
    for (const n of hintCounts) scores.push(psnr(await colorizePlanar(runner, luma, ref.h, ref.w, sampleReferenceHints(ref, n, path.basename(f))), ref));
    perPhoto.push(mean(scores));
  }
  return perPhoto;
}

/** A photo as RGB (0-1), brought within `maxSide` (area-averaged) if larger. */
async function loadWithin(file: string, maxSide: number): Promise<Planar> {
  const ref = await loadPlanar(file, 3);
  const k = Math.min(1, maxSide / Math.max(ref.h, ref.w));
  return k < 1 ? imresize(ref, Math.max(1, Math.round(ref.h * k)), Math.max(1, Math.round(ref.w * k)), 255) : ref;
}

/** Pictures of one photo colourized whole and automatically, as scored above: the photo made
 * gray, each runner's colourization, the photo itself (RGB 0-1, within `maxSide`). */
export async function wholePhotoPanels(runners: ModelRunner[], file: string, maxSide: number): Promise<Planar[]> {
  const ref = await loadWithin(file, maxSide);
  const { luma } = labSplit(ref);
  const out = [labPlanes(luma, null, ref.h, ref.w)];
  for (const r of runners) out.push(await colorizePlanar(r, luma, ref.h, ref.w, []));
  return [...out, ref];
}
