// The API's error type and codes (re-exported by contract.ts). Kept free of zod so the renderer
// can construct and recognise ApiError without bundling the schema library.
// 'exists': the target of a write is an existing file and the call did not say to replace it (the
// UI asks the user: replace, keep both, or cancel).
export const ERROR_CODES = ['invalid-argument', 'forbidden', 'not-found', 'cancelled', 'failed', 'unavailable', 'unknown-call', 'exists'] as const;
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
