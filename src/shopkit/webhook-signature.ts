import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-Webhook-Signature` for a body: HMAC-SHA256 of the exact bytes, lowercase hex
 * (docs/shopkit-api-notes.md#webhook-signature).
 */
export function signShopkitBody(rawBody: string | Uint8Array, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Checks a delivery's signature in constant time over the raw body (before any JSON parsing).
 * Accepts upper-case hex (the header case is not guaranteed); a missing or malformed header is false.
 */
export function verifyShopkitSignature(
  rawBody: string | Uint8Array,
  signatureHeader: string | readonly string[] | undefined,
  secret: string,
): boolean {
  const header = typeof signatureHeader === 'string' ? signatureHeader : signatureHeader?.[0];
  if (typeof header !== 'string') return false;
  const received = header.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(received)) return false;
  const expected = Buffer.from(signShopkitBody(rawBody, secret), 'hex');
  // Both are 32 bytes here; timingSafeEqual throws on a length mismatch, the check above prevents it.
  return timingSafeEqual(expected, Buffer.from(received, 'hex'));
}
