// The API error code of a failure that is not an ApiError: a file the user gave that cannot be
// used is the caller's to fix (400), anything else a fault of the app (500).
import { ImageError } from '../imageio/errors';
import type { ApiErrorCode } from './apiError';

/**
 * The code of an error that is not an ApiError: a file the user gave that cannot be used (an
 * unreadable image, a link loop, not a regular file) is the caller's problem, not the app's
 * ('invalid-argument', HTTP 400; a missing file 'not-found'); anything else 'failed' (500).
 */
export function failureCode(e: unknown): ApiErrorCode {
  if (e instanceof ImageError) return 'invalid-argument';
  const errno = (e as NodeJS.ErrnoException | null)?.code;
  if (errno === 'ENOENT' || errno === 'ENOTDIR') return 'not-found';
  if (errno === 'ELOOP' || errno === 'EISDIR' || errno === 'ENXIO') return 'invalid-argument';
  return 'failed';
}
