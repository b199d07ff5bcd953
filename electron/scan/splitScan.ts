// Splits one flatbed scan holding several prints into one file per print: reads the scan, finds
// the prints (findPrints.ts), cuts each out upright (extract.ts) and writes them atomically next
// to each other as <stem>-1, <stem>-2, ... in reading order (rows from the top, then left to
// right), in the scan's format, depth and metadata unless told otherwise, with a processing
// record naming the scan and the print's place and turn on it. The scan itself is never changed.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { extensionFor, sameFormatFor } from '../imageio/formats';
import { readImage } from '../imageio/read';
import { writeImage } from '../imageio/write';
import { ImageError } from '../imageio/errors';
import { TargetExistsError } from '../imageio/atomic';
import type { ImageMetadata, Raster, WriteFormat } from '../imageio/types';
import { extractRect } from './extract';
import { findPrints, type FoundPrint } from './findPrints';

export interface SplitOptions {
  /** Smallest print as a share of the scan's area (default: findPrints' 0.02). */
  minShare?: number;
  /** Output format; 'same' = the scan's where it can be written, else PNG. */
  format: WriteFormat | 'same';
  /** Output bit depth (default: the scan's). */
  depth?: 8 | 16;
  quality?: number;
  keepMetadata: boolean;
  /** Paths that must never be written (the inputs). */
  protect: string[];
  /** false: write nothing when one of the print files exists (TargetExistsError); default true. */
  replace?: boolean;
}

export interface SplitResult {
  outputs: string[];
  prints: FoundPrint[];
  /** Regions as large as a print but not rectangular (prints touching each other?), not written. */
  irregular: number;
}

/** Prints in reading order: rows from the top (a print starts a new row below the row's middle). */
export function readingOrder(prints: readonly FoundPrint[]): FoundPrint[] {
  const byTop = [...prints].sort((a, b) => a.cy - b.cy);
  const rows: FoundPrint[][] = [];
  for (const p of byTop) {
    const row = rows[rows.length - 1];
    if (row && p.cy - row[0]!.cy < Math.min(row[0]!.height, p.height) / 2) row.push(p);
    else rows.push([p]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.cx - b.cx));
}

/** Where the prints of a scan go: `<stem>-<k>.<ext>`, k from 1. */
export function printPath(stem: string, k: number, format: WriteFormat): string {
  return `${stem}-${k}${extensionFor(format)}`;
}

/** The format the prints of a scan of `inputFormat` are written in. */
export function splitFormat(opts: Pick<SplitOptions, 'format'>, inputFormat: string): WriteFormat {
  return opts.format === 'same' ? sameFormatFor(inputFormat) : opts.format;
}

/** A scan read and its prints found, in reading order. */
export interface LocatedPrints {
  raster: Raster;
  meta: ImageMetadata;
  prints: FoundPrint[];
  irregular: number;
  /** False when the picture has no plain background around it (a photo, not a scan of prints). */
  plain: boolean;
}

/** Why a scan gives no print to cut out, as a clause for "<file>: <reason>" and the app. */
export function whyNoPrints(l: Pick<LocatedPrints, 'irregular' | 'plain'>): string {
  if (!l.plain) return 'no plain background (a white or black scanner lid) around the picture: this looks like one photo, not a scan of several prints';
  if (l.irregular > 0) return `no print found: ${l.irregular === 1 ? '1 region is' : `${l.irregular} regions are`} too far from a rectangle (prints touching or overlapping? leave a gap between them; or one photo with a plain edge, not a scan of prints)`;
  return 'no print found on the plain background: the scan is empty';
}

/** Reads `input` and finds its prints (none found is not an error here). */
export async function locatePrints(input: string, minShare?: number): Promise<LocatedPrints> {
  const { raster, meta } = await readImage(input);
  const found = findPrints(raster, minShare !== undefined ? { minShare } : {});
  return { raster, meta, prints: readingOrder(found.prints), irregular: found.irregular, plain: found.plain };
}

/**
 * Finds the prints on `input` (or takes `located`, found by the caller) and writes each to
 * `<stem>-<k>.<ext>`. Throws ImageError naming the scan.
 */
export async function splitScan(input: string, stem: string, opts: SplitOptions, located?: LocatedPrints): Promise<SplitResult> {
  located ??= await locatePrints(input, opts.minShare);
  const { raster, meta, prints, irregular } = located;
  if (prints.length === 0) throw new ImageError(input, whyNoPrints(located));
  const format = splitFormat(opts, meta.format);
  const targets = prints.map((_, i) => printPath(stem, i + 1, format));
  if (opts.replace === false) {
    for (const t of targets) if (await fs.lstat(t).then(() => true, () => false)) throw new TargetExistsError(t);
  }
  await fs.mkdir(path.dirname(stem), { recursive: true });
  for (const [i, p] of prints.entries()) {
    await writeImage(targets[i]!, await extractRect(raster, p), {
      format,
      depth: opts.depth ?? raster.depth,
      ...(opts.quality !== undefined ? { quality: opts.quality } : {}),
      metadata: meta,
      keepMetadata: opts.keepMetadata,
      protect: opts.protect,
      replace: opts.replace ?? true,
      processing: {
        task: 'split-scan',
        scan: input,
        print: `${i + 1} of ${prints.length}`,
        centre: `${p.cx.toFixed(1)},${p.cy.toFixed(1)}`,
        turned: `${p.angle.toFixed(2)} degrees`,
      },
    });
  }
  return { outputs: targets, prints, irregular };
}
