// One-line user-facing text for any thrown value.
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
