// The API's error type and codes (re-exported by contract.ts). Kept free of zod so the renderer
// can construct and recognise ApiError without bundling the schema library.
export const ERROR_CODES = ['invalid-argument', 'forbidden', 'not-found', 'cancelled', 'failed', 'unavailable', 'unknown-call'] as const;
export type ApiErrorCode = (typeof ERROR_CODES)[number];

/** The one error type every implementation rejects with; `message` is one line for the user. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
