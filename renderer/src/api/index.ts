// Picks the API implementation for this window: Electron's preload exposes `window.restore`;
// otherwise the page was served by `restore serve` and talks to it over HTTP/WebSocket;
// `?fake=1` (vite dev server, demos) uses the in-memory fake.
import type { RestoreApi } from '@api/contract';
import { createBridgeClient, tokenFromLocation } from './bridgeClient';
import { createFakeApi } from './fakeApi';

declare global {
  interface Window {
    restore?: RestoreApi;
  }
}

export function resolveApi(): RestoreApi {
  if (window.restore) return window.restore;
  if (new URLSearchParams(window.location.search).has('fake')) return createFakeApi();
  return createBridgeClient(new URL('./', window.location.href), tokenFromLocation(window.location));
}
