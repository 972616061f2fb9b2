import { createHash } from 'node:crypto';

/** Trimmed, lower-cased e-mail; `null` when empty or without `@` (such customers are rejected). */
export function normaliseEmail(email: string | null | undefined): string | null {
  const text = typeof email === 'string' ? email.trim().toLowerCase() : '';
  return text.includes('@') ? text : null;
}

/**
 * ShopiMind `customer_id` = MD5 hex of the normalised e-mail (D1); equals Shopkit's client `hash`, so guests
 * and registered clients share one key and orders need no client lookup.
 */
export function customerIdOf(normalisedEmail: string): string {
  return createHash('md5').update(normalisedEmail, 'utf8').digest('hex');
}
