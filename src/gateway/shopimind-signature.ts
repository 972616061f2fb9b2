import { createHmac, timingSafeEqual } from 'node:crypto';

export type LifecycleSignatureFailure =
  'missing headers' | 'invalid timestamp' | 'timestamp out of tolerance' | 'signature mismatch';

export interface LifecycleSignatureOptions {
  /** Seconds a timestamp may lie in the past (ShopiMind suggests 5 minutes). */
  pastToleranceS: number;
  /** Seconds a timestamp may lie in the future (the SDK allows min(60 s, tolerance)). */
  futureToleranceS: number;
}

export const DEFAULT_LIFECYCLE_TOLERANCE: LifecycleSignatureOptions = { pastToleranceS: 300, futureToleranceS: 60 };

/**
 * `X-Shopimind-Signature` for a body: hex HMAC-SHA256 of `<timestamp>.<raw body>`
 * (docs/shopimind-api-notes.md#integration-webhook-signature).
 */
export function signShopimindLifecycle(rawBody: string | Uint8Array, timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * Checks a ShopiMind partner-integration webhook (docs/shopimind-api-notes.md#integration-webhook-signature):
 * digits-only timestamp within the replay window (asymmetric like the SDK), then a constant-time comparison of the
 * decoded digests on the raw body.
 */
export function verifyShopimindLifecycle(
  rawBody: Uint8Array,
  timestampHeader: string | string[] | undefined,
  signatureHeader: string | string[] | undefined,
  secret: string,
  nowMs: number,
  tolerance: LifecycleSignatureOptions = DEFAULT_LIFECYCLE_TOLERANCE,
): { ok: true } | { ok: false; reason: LifecycleSignatureFailure } {
  const timestamp = typeof timestampHeader === 'string' ? timestampHeader : undefined;
  const signature = typeof signatureHeader === 'string' ? signatureHeader.trim().toLowerCase() : undefined;
  if (!timestamp || !signature) return { ok: false, reason: 'missing headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'invalid timestamp' };
  const age = nowMs / 1000 - Number(timestamp);
  if (age > tolerance.pastToleranceS || -age > tolerance.futureToleranceS) {
    return { ok: false, reason: 'timestamp out of tolerance' };
  }
  if (!/^[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'signature mismatch' };
  const expected = Buffer.from(signShopimindLifecycle(rawBody, timestamp, secret), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'))
    ? { ok: true }
    : { ok: false, reason: 'signature mismatch' };
}

/** Constant-time comparison of a bearer token (hashing first hides the length). */
export function tokenMatches(received: string | undefined, expected: string): boolean {
  if (received === undefined) return false;
  const digest = (value: string) => createHmac('sha256', 'gateway-admin-token').update(value).digest();
  return timingSafeEqual(digest(received), digest(expected));
}
