// Electron security settings as pure, unit-tested functions (Electron's security checklist):
// webPreferences (context isolation, sandbox, no Node integration, no webview), the strict CSP
// sent with every app:// response, navigation and window-open policies (nothing foreign; http(s)
// links open in the system browser), a permission handler that denies by default, and the check
// that an IPC message comes from our own top-level frame.
export const APP_SCHEME = 'app';
export const MEDIA_SCHEME = 'media';
export const APP_ORIGIN = `${APP_SCHEME}://restore`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  experimentalFeatures: false;
  navigateOnDragDrop: false;
  spellcheck: false;
}

export function webPreferences(preloadPath: string): SecureWebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** CSP of the app pages: only our own scheme; images also from media:; no eval, no remote. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // MUI/emotion inject <style> elements at run time
  `img-src 'self' ${MEDIA_SCHEME}: data: blob:`,
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for pages of the app itself (same scheme and host). */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === 'restore';
}

/** will-navigate: stay inside the app; everything else is prevented. */
export function allowNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** setWindowOpenHandler: never a new window; http(s) links go to the system browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: string | null } {
  const u = parse(url);
  const external = u !== null && (u.protocol === 'https:' || u.protocol === 'http:') ? u.toString() : null;
  return { action: 'deny', openExternally: external };
}

/** Permission requests (camera, geolocation, notifications, ...): denied, whatever they are. */
const GRANTED: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);
export function permissionDecision(permission: string, requestingUrl: string): boolean {
  return GRANTED.has(permission) && isAppUrl(requestingUrl);
}

/** The parts of an IPC event's sender frame we check. */
export interface SenderFrame {
  url: string;
  /** True when the frame is the top-level frame of its page. */
  isMainFrame: boolean;
}

/** IPC is accepted only from the top-level frame of an app page. */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  return !!frame && frame.isMainFrame && isAppUrl(frame.url);
}
