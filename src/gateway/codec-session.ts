import { createHmac, timingSafeEqual } from 'node:crypto';

/** The cookie a browser holds after signing in at `/codec/login`. */
export const CODEC_SESSION_COOKIE = 'codec_session';

/**
 * Signs with a key derived from the codec token: the cookie never holds the token, one token works on every
 * gateway replica and across restarts, and a new token ends every session.
 */
function signature(token: string, expiresAtS: number): string {
  const key = createHmac('sha256', token).update('codec-session-v1').digest();
  return createHmac('sha256', key).update(String(expiresAtS)).digest('base64url');
}

/** A session value valid until `expiresAtMs`: `<expiry in epoch seconds>.<HMAC>`. */
export function issueCodecSession(token: string, expiresAtMs: number): string {
  const expiresAtS = Math.floor(expiresAtMs / 1000);
  return `${expiresAtS}.${signature(token, expiresAtS)}`;
}

/** Whether a session value was issued for this token and has not expired (signature compared in constant time). */
export function codecSessionValid(value: string | undefined, token: string, nowMs: number): boolean {
  const match = /^(\d{1,12})\.([\w-]{43})$/.exec(value ?? '');
  if (!match) return false;
  const expiresAtS = Number(match[1]);
  if (expiresAtS * 1000 <= nowMs) return false;
  return timingSafeEqual(Buffer.from(match[2] as string), Buffer.from(signature(token, expiresAtS)));
}

/** A cookie's value from a `Cookie` request header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * The `Set-Cookie` value: HttpOnly (no script reads it), SameSite=Strict (the Web UI on another port of the
 * same host is same-site; other sites never send it), scoped to `/codec`; Secure when served over HTTPS.
 */
export function codecSessionCookie(value: string, maxAgeS: number, secure: boolean): string {
  const attributes = [
    `Max-Age=${maxAgeS}`,
    'Path=/codec',
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ];
  return [`${CODEC_SESSION_COOKIE}=${value}`, ...attributes].join('; ');
}
