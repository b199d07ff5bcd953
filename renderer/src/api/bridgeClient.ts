// Web-bridge implementation of the API contract: calls go over HTTP POST to `restore serve`,
// events arrive over one WebSocket (reconnected with backoff), dropped files are uploaded into the
// session workspace. The session token comes from the URL the server printed (?token=...).
import type { ApiEvent, CallArgsOf, CallName, CallResultOf, Outcome, RestoreApi } from '@api/contract';
import { ApiError } from '@api/apiError';

export function tokenFromLocation(loc: Location): string {
  const fromQuery = new URLSearchParams(loc.search).get('token');
  if (fromQuery) {
    sessionStorage.setItem('restore-token', fromQuery);
    return fromQuery;
  }
  return sessionStorage.getItem('restore-token') ?? '';
}

export function createBridgeClient(base: URL, token: string): RestoreApi {
  const listeners = new Set<(event: ApiEvent) => void>();
  let socket: WebSocket | null = null;
  let retry = 0;

  const connect = (): void => {
    const url = new URL('api/events', base);
    url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retry = 0;
    };
    ws.onmessage = (message) => {
      if (ws !== socket || typeof message.data !== 'string') return;
      const event = JSON.parse(message.data) as ApiEvent;
      for (const listener of listeners) listener(event);
    };
    ws.onclose = () => {
      // Reconnect only when this socket dropped by itself (not closed by the last unsubscribe,
      // and not replaced by a newer one).
      if (ws !== socket) return;
      socket = null;
      if (listeners.size === 0) return;
      retry = Math.min(retry + 1, 6);
      setTimeout(() => {
        if (!socket && listeners.size > 0) connect();
      }, 250 * 2 ** retry);
    };
  };

  async function post<T>(path: string, body: BodyInit, contentType: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, base), {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-restore-token': token },
        body,
      });
    } catch (error) {
      throw new ApiError('unavailable', `The restore server cannot be reached (${(error as Error).message}).`);
    }
    const outcome = (await response.json().catch(() => null)) as Outcome<T> | null;
    if (!outcome) throw new ApiError('failed', `The restore server answered ${response.status} without a result.`);
    if (!outcome.ok) throw new ApiError(outcome.error.code, outcome.error.message);
    return outcome.value;
  }

  return {
    call<N extends CallName>(name: N, args: CallArgsOf<N>): Promise<CallResultOf<N>> {
      return post<CallResultOf<N>>(`api/call/${name}`, JSON.stringify(args), 'application/json');
    },
    on(listener) {
      listeners.add(listener);
      if (!socket) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && socket) {
          const closing = socket;
          socket = null;
          closing.close();
        }
      };
    },
    async pathForDroppedFile(file) {
      const result = await post<{ path: string }>(
        `api/upload?name=${encodeURIComponent(file.name)}`,
        file,
        'application/octet-stream',
      );
      return result.path;
    },
  };
}
