// Global sharp/libvips settings. The engine calls configureSharp with its share of the thread
// budget so that libvips and ONNX Runtime do not oversubscribe the cores.
import sharp from 'sharp';

export interface SharpSettings {
  threads: number;
}

/**
 * Set libvips' worker thread count (sharp.concurrency) and turn off its operation cache: a batch
 * never reads a file twice, and a cached file would stay open (and locked on Windows).
 */
export function configureSharp(threads: number): SharpSettings {
  const n = Number.isFinite(threads) && threads >= 1 ? Math.floor(threads) : 1;
  sharp.concurrency(n);
  sharp.cache(false);
  return { threads: sharp.concurrency() };
}

/** Whether this build of libvips can decode / encode a format (sharp.format key, e.g. 'heif', 'jpeg'). */
export function sharpSupports(format: string, direction: 'input' | 'output'): boolean {
  const info = (sharp.format as unknown as Record<string, { input: { file: boolean }; output: { file: boolean } } | undefined>)[format];
  return info !== undefined && info[direction].file;
}
