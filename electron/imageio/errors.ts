// ImageError: the one error type of image I/O. Its message is always one line,
// "<file>: <reason>", so the CLI and the UI can show it as is. Also turns libvips/sharp
// error texts into short reasons.

export class ImageError extends Error {
  readonly file: string;
  readonly reason: string;

  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    const oneLine = reason.replace(/\s*[\r\n]+\s*/g, '; ').trim();
    super(`${file}: ${oneLine}`, options);
    this.name = 'ImageError';
    this.file = file;
    this.reason = oneLine;
  }
}

function firstLines(message: string): string {
  return message
    .split(/[\r\n]+/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .slice(0, 2)
    .join('; ');
}

/** A short human reason for an error thrown by sharp while decoding. */
export function decodeFailureReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(message)) return 'not a supported image file (unrecognised format)';
  if (/pixel limit/i.test(message)) return 'image exceeds the pixel limit';
  if (/timeout/i.test(message)) return 'decoding took too long and was stopped (damaged or pathological file?)';
  if (/premature end|truncated|corrupt|unexpected end|end of (file|stream|data)|read error|out of data|short read|not enough data|incomplete/i.test(message)) {
    return `truncated or corrupt image data (${firstLines(message)})`;
  }
  return `cannot decode image (${firstLines(message)})`;
}

/** Wrap anything thrown while handling `file` into an ImageError (ImageErrors pass through). */
export function toImageError(file: string, err: unknown, reason: (e: unknown) => string = decodeFailureReason): ImageError {
  if (err instanceof ImageError) return err;
  return new ImageError(file, reason(err), { cause: err });
}
