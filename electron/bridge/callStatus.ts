// The HTTP status of an API call's answer on the web bridge: 200 for a result, and for an error
// the status its code stands for (a refused argument is 400, a missing file 404, ...), so a client
// other than ours (curl, a script) sees a refusal as one. The JSON body is the same Outcome either way.
import type { ApiErrorCode } from '../api/apiError';
import type { Outcome } from '../api/contract';

const STATUS: Record<ApiErrorCode, number> = {
  'invalid-argument': 400,
  forbidden: 403,
  'not-found': 404,
  'unknown-call': 404,
  exists: 409,
  cancelled: 409,
  unavailable: 503,
  failed: 500,
};

export function callStatus(outcome: Outcome<unknown>): number {
  return outcome.ok ? 200 : STATUS[outcome.error.code];
}
