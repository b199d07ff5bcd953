// One-line user-facing text for any thrown value, and the code of a failed call.
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True when a call failed with this ApiError code (checked by code, not class: the Electron
 * preload's errors cross the context bridge as plain objects). */
export function hasErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
