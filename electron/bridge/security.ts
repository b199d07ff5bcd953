// Request checks of the web bridge, as pure functions: the session token (constant-time compare,
// from the x-restore-token header, the ?token= query or the session cookie), the Host header
// (only the loopback name and port we listen on: no DNS rebinding), the Origin of state-changing
// requests and WebSocket upgrades, and the response headers every answer carries.
import { timingSafeEqual } from 'node:crypto';

export const COOKIE_NAME = 'restore_session';

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieToken(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE_NAME) return v.join('=');
  }
  return null;
}

export interface RequestFacts {
  host: string | undefined;
  origin: string | undefined;
  cookie: string | undefined;
  headerToken: string | undefined;
  queryToken: string | null;
}

const LOOPBACK = /^(127\.0\.0\.1|localhost):\d{1,5}$/;

/**
 * Host header must be a loopback name (any port, so an SSH tunnel to another local port works):
 * a DNS-rebinding page arrives with its own domain name as Host and is refused.
 */
export function hostAllowed(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK.test(host);
}

/** A browser's Origin, when sent, must be a loopback page. */
export function originAllowed(origin: string | undefined): boolean {
  return origin === undefined || (origin.startsWith('http://') && LOOPBACK.test(origin.slice('http://'.length)));
}

/**
 * Token check. State-changing requests (`strict`: API calls, uploads) need the token in the
 * x-restore-token header, which another page cannot read or forge (no CSRF through the cookie,
 * which other local ports share); page loads, assets, media and the event socket may use the
 * ?token= query or the session cookie.
 */
export function authorised(facts: RequestFacts, token: string, strict = false): boolean {
  const given = strict ? facts.headerToken : (facts.headerToken ?? facts.queryToken ?? cookieToken(facts.cookie));
  return typeof given === 'string' && tokensEqual(given, token);
}

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // MUI/emotion inject <style> tags at run time
  "img-src 'self' data: blob:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}
