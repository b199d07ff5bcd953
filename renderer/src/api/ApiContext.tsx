// React context carrying the API implementation, plus hooks to call it and to subscribe to events.
import { createContext, useContext, useEffect, useRef } from 'react';
import type { ApiEvent, RestoreApi } from '@api/contract';

export const ApiContext = createContext<RestoreApi | null>(null);

export function useApi(): RestoreApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext.Provider>');
  return api;
}

/** Subscribe to API events for the component's lifetime; the latest handler is always used. */
export function useApiEvents(handler: (event: ApiEvent) => void): void {
  const api = useApi();
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => api.on((event) => latest.current(event)), [api]);
}
