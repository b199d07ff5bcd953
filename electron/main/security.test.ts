// Unit tests of the Electron security settings: webPreferences, CSP, navigation, window-open,
// permissions and IPC sender validation (pure functions; no Electron binary needed).
import { describe, expect, it } from 'vitest';
import { APP_ENTRY, CONTENT_SECURITY_POLICY, allowNavigation, isTrustedSender, permissionDecision, webPreferences, windowOpenDecision } from './security';
import { senderOk } from './ipc';

describe('webPreferences', () => {
  it('isolates, sandboxes and keeps Node out of the renderer', () => {
    const p = webPreferences('/app/dist/electron/preload.cjs');
    expect(p).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('content security policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => {
    const [name, ...values] = d.trim().split(/\s+/);
    return [name, values] as const;
  }));
  it('allows scripts only from the app itself, never eval or inline', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
    expect(directives.get('default-src')).toEqual(["'self'"]);
  });
  it('blocks plugins, framing, base rewriting and remote connections', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:/);
  });
  it('lets images come from the media protocol', () => {
    expect(directives.get('img-src')).toContain('media:');
  });
});

describe('navigation and new windows', () => {
  it('allows only app pages', () => {
    expect(allowNavigation(APP_ENTRY)).toBe(true);
    expect(allowNavigation('app://restore/index.html#/batch')).toBe(true);
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://evil/index.html', 'media://file/?path=/x', 'javascript:alert(1)', 'not a url']) {
      expect(allowNavigation(url), url).toBe(false);
    }
  });
  it('never opens a window; web links go to the system browser, nothing else does', () => {
    expect(windowOpenDecision('https://onnxruntime.ai/docs')).toEqual({ action: 'deny', openExternally: 'https://onnxruntime.ai/docs' });
    expect(windowOpenDecision('file:///etc/passwd')).toEqual({ action: 'deny', openExternally: null });
    expect(windowOpenDecision('app://restore/index.html')).toEqual({ action: 'deny', openExternally: null });
    expect(windowOpenDecision('smb://host/share')).toEqual({ action: 'deny', openExternally: null });
  });
});

describe('permissions', () => {
  it('denies by default', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'midi', 'openExternal', 'fullscreen', 'clipboard-read', 'hid', 'serial', 'usb', 'unknown-future-permission']) {
      expect(permissionDecision(p, APP_ENTRY), p).toBe(false);
    }
  });
  it('grants sanitized clipboard writes to app pages only', () => {
    expect(permissionDecision('clipboard-sanitized-write', APP_ENTRY)).toBe(true);
    expect(permissionDecision('clipboard-sanitized-write', 'https://example.com')).toBe(false);
  });
});

describe('IPC sender validation', () => {
  const top = { url: APP_ENTRY, parent: null };
  it('accepts the top-level app frame', () => {
    expect(isTrustedSender({ url: APP_ENTRY, isMainFrame: true })).toBe(true);
    expect(senderOk({ senderFrame: top })).toBe(true);
  });
  it('refuses subframes, foreign pages and missing frames', () => {
    expect(senderOk({ senderFrame: { url: APP_ENTRY, parent: top } })).toBe(false);
    expect(senderOk({ senderFrame: { url: 'https://example.com/', parent: null } })).toBe(false);
    expect(senderOk({ senderFrame: { url: 'file:///tmp/x.html', parent: null } })).toBe(false);
    expect(senderOk({ senderFrame: null })).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});
